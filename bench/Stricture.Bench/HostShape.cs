namespace Stricture.Bench;

/// <summary>
/// How a process this benchmark starts is told its loopback address, and where it answers once it
/// is ready: Stricture.Ingest reads STRICTURE_SERVER_ADDR and serves /healthz; Stricture.Replicator
/// is a plain ASP.NET Core host (ASPNETCORE_URLS) with the service defaults' /alive.
/// </summary>
internal sealed record HostShape(string Name, string AddressVariable, Func<int, string> Address, string ReadyPath)
{
    public static readonly HostShape Ingest = new("server", "STRICTURE_SERVER_ADDR", port => $"127.0.0.1:{port}", "healthz");

    public static readonly HostShape Replicator = new("replicator", "ASPNETCORE_URLS", port => $"http://127.0.0.1:{port}", "alive");
}
