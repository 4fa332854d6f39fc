using Microsoft.Extensions.Options;
using Stricture.Ingest;
using Stricture.Ingest.Function;
using Stricture.Ingest.Storage;

if (args is [ReconcileCommand.Name, .. var settings])
{
    return await ReconcileCommand.RunAsync(settings);
}

// No configuration reload: its file watcher would watch the content root recursively, and the
// default data directory lives under it (one inotify watch per record directory).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

builder.AddServiceDefaults();
builder.AddIngestServices();

var app = builder.Build();

app.MapIngestApi();
app.MapDefaultEndpoints();

if (FunctionMode.IsSelected(app.Configuration))
{
    return await FunctionMode.RunAsync(app);
}
try
{
    app.Run();
    return 0;
}
catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException)
{
    // A refusal to start: the host has already logged why. Exit with a plain failure code rather
    // than an unhandled-exception abort that prints the same stack trace again.
    return 1;
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
