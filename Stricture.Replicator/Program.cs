using Stricture.Replicator;

// The mirror-mode replicator: copies what ingest spooled in the shared data directory to the
// object store. It serves only health endpoints over HTTP. `verify` compares the two and exits.
if (args is [VerifyCommand.Name, .. var settings])
{
    return await VerifyCommand.RunAsync(settings);
}

var builder = ServiceHost.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddReplicatorServices();

var app = builder.Build();
app.MapDefaultEndpoints();

return await app.RunServiceAsync();
