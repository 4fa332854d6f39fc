using Microsoft.Extensions.Options;
using Stricture.Replicator;

// The mirror-mode replicator: copies what ingest spooled in the shared data directory to the
// object store. It serves only health endpoints over HTTP. `verify` compares the two and exits.
if (args is [VerifyCommand.Name, .. var settings])
{
    return await VerifyCommand.RunAsync(settings);
}

var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddServiceDefaults();
builder.AddReplicatorServices();

var app = builder.Build();
app.MapDefaultEndpoints();

try
{
    app.Run();
    return 0;
}
catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
{
    // A refusal to start: the host has already logged why.
    return 1;
}
