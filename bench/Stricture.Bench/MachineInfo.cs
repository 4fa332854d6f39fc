using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Stricture.Bench;

/// <summary>What the numbers were measured on; absolute numbers mean little without it.</summary>
internal sealed record MachineInfo(
    int Cpus, string CpuModel, double MemoryGiB, string Kernel, string Filesystem, string Runtime, string ServerGc)
{
    public static MachineInfo Describe(string dataDirectory, string serverDll) => new(
        Environment.ProcessorCount,
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
        MemTotalKiB() / 1024.0 / 1024.0,
        File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
        DescribeFilesystem(dataDirectory),
        RuntimeInformation.FrameworkDescription,
        ServerGcSetting(serverDll));

    /// <summary>
    /// findmnt's view of the data directory's mount, plus whether ext4 journals it: the mount options
    /// do not say, and a filesystem without a journal makes fsync much cheaper and durability weaker.
    /// </summary>
    private static string DescribeFilesystem(string directory)
    {
        var mount = Run("findmnt", "-n", "-o", "FSTYPE,SOURCE,TARGET,OPTIONS", "-T", directory);
        if (mount is null)
        {
            return "unknown";
        }
        var parts = mount.Split(' ');
        if (parts is ["ext4", var source, ..] && source.StartsWith("/dev/", StringComparison.Ordinal) && Directory.Exists("/proc/fs/jbd2"))
        {
            var device = source["/dev/".Length..];
            var journaled = Directory.EnumerateDirectories("/proc/fs/jbd2").Any(d => Path.GetFileName(d).StartsWith(device + "-", StringComparison.Ordinal));
            return mount + (journaled ? " (journaled)" : " (no journal: /proc/fs/jbd2 has no entry for " + device + ")");
        }
        return mount;
    }

    private static long MemTotalKiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The server's GC mode matters for its RSS; it comes from the built runtimeconfig.json.</summary>
    private static string ServerGcSetting(string serverDll)
    {
        var path = Path.ChangeExtension(serverDll, ".runtimeconfig.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var server = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties) &&
                         properties.TryGetProperty("System.GC.Server", out var value) && value.GetBoolean();
            var concurrent = !properties.TryGetProperty("System.GC.Concurrent", out var c) || c.GetBoolean();
            // GC settings in the environment reach the server (they are how one experiments with it); show them.
            var overrides = Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")
                .ToList();
            return (server ? "Server" : "Workstation") + (concurrent ? ", concurrent" : ", non-concurrent") +
                   (overrides.Count > 0 ? $" (runtimeconfig), environment: {string.Join(' ', overrides)}" : " (runtimeconfig)");
        }
        catch (Exception exception) when (exception is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "unknown";
        }
    }

    /// <summary>A command's standard output on one line, or null if it failed.</summary>
    public static string? Run(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(5000) && process.ExitCode == 0 ? string.Join(' ', output.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
