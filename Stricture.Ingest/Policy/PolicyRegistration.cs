using Microsoft.Extensions.Options;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Configuration;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Policy;

/// <summary>The gate policies (checked at start-up) and the blast-radius step every accepted post goes through, in server and function mode alike.</summary>
internal static class PolicyRegistration
{
    public static IServiceCollection AddBlastRadiusAndGates(this IServiceCollection services)
    {
        services.AddOptions<PolicyOptions>().BindSettings();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddSingleton<IGatePolicySource, PolicyDirectory>();
        services.AddSingleton<IRunAssessor>(sp => sp.GetRequiredService<IOptions<PolicyOptions>>().Value.BlastRadiusEnabled
            ? new RunAssessor(sp.GetRequiredService<RunCatalog>(), sp.GetRequiredService<IGatePolicySource>())
            : NoRunAssessment.Instance);
        return services;
    }
}
