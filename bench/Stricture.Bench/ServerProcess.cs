using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stricture.Bench;

/// <summary>Resident memory of the server, from /proc/&lt;pid&gt;/status, in KiB.</summary>
internal readonly record struct MemorySample(long RssKiB, long PeakRssKiB);

/// <summary>
/// One Stricture.Ingest server run as a real process (Kestrel, real sockets, its own GC heap), on a
/// free loopback port with its own data directory; or, with <see cref="HostShape.Replicator"/>, the
/// mirror-mode replicator on a data directory. Only this process is ever signalled, by pid.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 40;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly HostShape _host;

    private ServerProcess(Process process, Uri baseAddress, IReadOnlyList<int> storePids, HostShape host)
    {
        _process = process;
        BaseAddress = baseAddress;
        StorePids = storePids;
        _host = host;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// The processes of the store the server writes to when it is a local S3 server (Ceph's
    /// radosgw, OSD and monitor); empty on the filesystem driver. Their CPU is measured apart, as
    /// it is part of what a post costs on this machine, not "other processes".
    /// </summary>
    public IReadOnlyList<int> StorePids { get; }

    public int Pid => _process.Id;

    /// <summary>The server's CPU time so far, split into its own code (user) and the kernel's work for it (system).</summary>
    public (TimeSpan User, TimeSpan System) CpuTimes
    {
        get
        {
            _process.Refresh();
            return (_process.UserProcessorTime, _process.PrivilegedProcessorTime);
        }
    }

    /// <summary>
    /// Starts the server (or, by <paramref name="host"/>, the replicator) and waits until it answers;
    /// <paramref name="settings"/> is extra environment (the s3 or mirror driver's settings), applied last.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string serverDll, string? workingDirectory, string dataDirectory, TimeSpan startTimeout,
        IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<int>? storePids = null, HostShape? host = null)
    {
        host ??= HostShape.Ingest;
        var port = FreeLoopbackPort();
        var start = CleanStartInfo(serverDll, workingDirectory, dataDirectory);
        start.Environment[host.AddressVariable] = host.Address(port);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), storePids ?? [], host);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(startTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// How the server dll is started, by the server and by its commands (<c>reconcile</c>): on its
    /// data directory, in Production, with a quiet console and nothing else from the caller's shell.
    /// </summary>
    public static ProcessStartInfo CleanStartInfo(string serverDll, string? workingDirectory, string dataDirectory, params string[] arguments)
    {
        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"Not built: {serverDll} (run dotnet build -c Release on its project, or bench/run.sh).", serverDll);
        }
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.GetFullPath(serverDll) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The working directory is the host's content root, and the host watches the content root
            // recursively for appsettings changes (one inotify watch per directory). Run from the
            // install directory, as a deployed service would, unless told otherwise: a data directory
            // inside the content root gets a watch on every new run directory, which is measured
            // separately (--server-cwd), not mixed into the storage numbers.
            WorkingDirectory = Path.GetFullPath(workingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(serverDll))!),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // A clean configuration: nothing inherited from the caller's shell (auth, OTLP export,
        // other URLs, another store's connection string) may change what is measured.
        foreach (var key in start.Environment.Keys.Where(k =>
                     k.StartsWith("STRICTURE_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal) ||
                     k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal) ||
                     k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["STRICTURE_SERVER_DATA_DIR"] = Path.GetFullPath(dataDirectory);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // Quiet console; the audit file (<data>/audit/audit.jsonl) is still written per request.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    public MemorySample ReadMemory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = KiB(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = KiB(line);
            }
        }
        return new MemorySample(rss, peak);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's last lines of output, for an error message.</summary>
    public string OutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary>SIGTERM for a graceful shutdown; SIGKILL to this one pid only if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        using var process = _process;
        if (!process.HasExited)
        {
            try
            {
                Libc.Terminate(process.Id);
            }
            catch (IOException)
            {
                // Already gone between the check and the signal.
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: false);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Waits until the process has written a line containing <paramref name="fragment"/> (for a log
    /// message that marks the end of its start-up work), among the lines kept for error messages.
    /// </summary>
    public async Task WaitForOutputAsync(string fragment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!OutputTail().Contains(fragment, StringComparison.Ordinal))
        {
            if (_process.HasExited || clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The {_host.Name} did not write '{fragment}' within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}):\n{OutputTail()}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {_host.Name} exited with code {_process.ExitCode} while starting:\n{OutputTail()}");
            }
            try
            {
                using var response = await client.GetAsync(_host.ReadyPath);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The {_host.Name} did not answer /{_host.ReadyPath} within {timeout.TotalSeconds:0} s:\n{OutputTail()}");
    }

    /// <summary>A port the OS just handed out on loopback; the server binds it a moment later.</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }

    private static long KiB(string statusLine) =>
        long.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
