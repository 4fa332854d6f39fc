using Stricture.Ingest;
using Stricture.Ingest.Function;
using Stricture.Ingest.Import;
using Stricture.Ingest.Startup;
using Stricture.Ingest.Webhooks;

if (args is [ReconcileCommand.Name, .. var settings])
{
    return await ReconcileCommand.RunAsync(settings);
}
if (args is [WebhooksCommand.Name, .. var webhookArgs])
{
    return await WebhooksCommand.RunAsync(webhookArgs);
}
if (args is [ImportCommand.Name, .. var importArgs])
{
    return await ImportCommand.RunAsync(importArgs);
}

var builder = ServiceHost.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIngestServices();

var app = builder.Build();

app.MapIngestApi();
app.MapDefaultEndpoints();

return FunctionMode.IsSelected(app.Configuration)
    ? await FunctionMode.RunAsync(app)
    : await app.RunServiceAsync();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
