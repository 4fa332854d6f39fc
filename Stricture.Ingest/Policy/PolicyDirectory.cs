using Microsoft.Extensions.Options;
using Stricture.Ingest.Configuration;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Identity;

namespace Stricture.Ingest.Policy;

/// <summary>
/// The organizations' gate policies, read once at start-up from <c>STRICTURE_SERVER_POLICY_DIR</c>:
/// <c>&lt;organization&gt;.yaml</c> for each organization that has one, the defaults for every other.
/// A file that cannot be read as a policy refuses the start (<see cref="PolicyOptionsValidator"/>), so
/// a running server never guesses at a gate. Changing a policy takes a restart (every instance of a
/// function reads it when it starts).
/// </summary>
internal sealed class PolicyDirectory : IGatePolicySource
{
    private readonly Dictionary<string, GatePolicy> _policies;

    public PolicyDirectory(IOptions<PolicyOptions> options)
    {
        var (policies, _) = Load(options.Value.Directory);
        _policies = policies;
    }

    public GatePolicy For(string organization) => _policies.GetValueOrDefault(organization) ?? GatePolicy.Defaults;

    /// <summary>Every policy file of the directory, and every problem as "file: line N: what is wrong".</summary>
    public static (Dictionary<string, GatePolicy> Policies, List<string> Problems) Load(string? directory)
    {
        var policies = new Dictionary<string, GatePolicy>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (directory is null)
        {
            return (policies, problems);
        }
        if (!System.IO.Directory.Exists(directory))
        {
            problems.Add($"{PolicyOptions.DirectorySetting}: '{directory}' is not a directory; point it at the folder of <organization>.yaml policy files, or unset it for the defaults.");
            return (policies, problems);
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }
            var organization = Path.GetFileNameWithoutExtension(name);
            if (Path.GetExtension(name) != ".yaml" || IdentifierGrammar.Explain("organization", organization) is not null)
            {
                problems.Add($"{PolicyOptions.DirectorySetting}: {file}: a policy file is named <organization>.yaml with an organization identifier; rename or remove it.");
                continue;
            }
            var (policy, problem) = PolicyFile.Parse(File.ReadAllText(file), file);
            if (policy is null)
            {
                problems.Add($"{PolicyOptions.DirectorySetting}: {file}: {problem}.");
                continue;
            }
            policies[organization] = policy;
        }
        return (policies, problems);
    }
}

/// <summary>Refuses the start when any policy file is invalid, one line per file naming the setting, the file and the line.</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        if (OnOffSetting.Validate(PolicyOptions.BlastRadiusSetting, options.BlastRadius,
                "to classify each diff's blast radius and decide its gate", "to store runs without them") is { Failed: true } onOff)
        {
            return onOff;
        }
        var (_, problems) = PolicyDirectory.Load(options.Directory);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
