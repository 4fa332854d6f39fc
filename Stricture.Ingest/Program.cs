using Stricture.Ingest;

// No configuration reload: its file watcher would watch the content root recursively, and the
// default data directory lives under it (one inotify watch per record directory).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

builder.AddServiceDefaults();
builder.AddIngestServices();

var app = builder.Build();

app.MapIngestApi();
app.MapDefaultEndpoints();

app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
