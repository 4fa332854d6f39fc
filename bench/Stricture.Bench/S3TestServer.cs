namespace Stricture.Bench;

/// <summary>
/// The S3 server the s3 scenario stores to, as eng/s3-test-server.sh describes it in its env lines
/// (bench/run.sh evaluates them): endpoint, keys and the pid files of its Ceph daemons, whose CPU
/// is measured apart from "other processes".
/// </summary>
internal sealed record S3TestServer(Uri Endpoint, string AccessKey, string SecretKey, IReadOnlyList<int> Pids, string Version)
{
    /// <summary>
    /// The RADOS Gateway's admin socket, next to its pid file (eng/s3-test-server.sh puts both in its
    /// run folder), or null: its request counters say how many S3 requests each side of a comparison made.
    /// </summary>
    public string? AdminSocket { get; init; }

    private static readonly string[] PidFileVariables =
        ["STRICTURE_TEST_S3_RGW_PID_FILE", "STRICTURE_TEST_S3_OSD_PID_FILE", "STRICTURE_TEST_S3_MON_PID_FILE"];

    public static S3TestServer FromEnvironment()
    {
        string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new ArgumentException(
                $"{name} is not set. Run the s3 scenario through bench/run.sh --scenario s3, or first eval \"$(eng/s3-test-server.sh start)\".");

        var endpoint = Required("STRICTURE_TEST_S3_ENDPOINT");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"STRICTURE_TEST_S3_ENDPOINT must be an http(s) URL, not '{endpoint}'.");
        }
        // Without the pid files (another S3 server) the store's CPU shows up under "other processes" instead.
        var pids = PidFileVariables
            .Select(Environment.GetEnvironmentVariable)
            .Select(file => file is { Length: > 0 } && File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Directory.Exists($"/proc/{pid}"))
            .ToList();
        var version = MachineInfo.Run("radosgw", "--version") ?? "unknown (radosgw --version failed)";
        var socket = Environment.GetEnvironmentVariable(PidFileVariables[0]) is { Length: > 0 } rgwPidFile
            ? Path.Combine(Path.GetDirectoryName(rgwPidFile) ?? ".", "client.rgw.a.asok")
            : null;
        return new S3TestServer(uri, Required("STRICTURE_TEST_S3_ACCESS_KEY"), Required("STRICTURE_TEST_S3_SECRET_KEY"), pids, version)
        {
            AdminSocket = socket is not null && File.Exists(socket) ? socket : null,
        };
    }
}
