namespace Stricture.Tests.Infrastructure;

/// <summary>One ingest server shared by every test of a class (xunit class fixture).</summary>
public class SharedIngestServer : IAsyncLifetime
{
    public IngestServer Server { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public Task InitializeAsync()
    {
        Server = IngestServer.Start(Settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
