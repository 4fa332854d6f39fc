using System.Diagnostics;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// The S3 test server's gateway paused (SIGSTOP to the radosgw process): the kernel still accepts
/// connections, but nothing answers, as in an outage. Disposing resumes it (SIGCONT). Pausing the
/// shared server fails every other S3 test, so the tests that pause run alone, in
/// <c>S3OutageCollection</c>.
/// </summary>
public sealed class GatewayPause : IAsyncDisposable
{
    private readonly int _pid;

    private GatewayPause(int pid) => _pid = pid;

    public static async Task<GatewayPause> StartAsync(S3TestServer s3)
    {
        Assert.NotNull(s3.GatewayPidFile);
        var pid = int.Parse((await File.ReadAllTextAsync(s3.GatewayPidFile!)).Trim());
        await SignalAsync("-STOP", pid);
        return new GatewayPause(pid);
    }

    public async ValueTask DisposeAsync() => await SignalAsync("-CONT", _pid);

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString()])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
