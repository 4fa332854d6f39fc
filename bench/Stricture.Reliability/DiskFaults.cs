using System.Diagnostics;
using System.Globalization;

namespace Stricture.Reliability;

/// <summary>
/// The filesystem driver's data directory on a small tmpfs this scenario mounts (as root) and removes:
/// under load, a ballast file fills it (posts must get 507 with a problem body), the ballast is
/// deleted (posts must succeed again without a restart), then the data directory is made read-only
/// (posts must get 503) and writable again (they must succeed again). One server process throughout. At the
/// end every acknowledged run is read back and hashed, looked for in the listing, and every file of
/// the records tree must parse. tmpfs gives real ENOSPC and EROFS; its fsync is a no-op, which the
/// kill cycles do not depend on either (they kill the process, not the machine).
/// </summary>
internal static class DiskFaults
{
    private const string Size = "64m";
    private const long Headroom = 128 * 1024;
    private static readonly TimeSpan Observe = TimeSpan.FromSeconds(3);

    public static async Task<ScenarioResult> RunAsync(Harness harness, CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root")
        {
            return new ScenarioResult("Disk full and read-only disk, fs driver", [], ["needs root to mount a tmpfs; run as root or skip with --scenario"]);
        }
        var options = harness.Options;
        var mount = Path.Combine(harness.RunDirectory, "small-disk");
        Directory.CreateDirectory(mount);
        Mount("-t", "tmpfs", "-o", $"size={Size},mode=0755", "tmpfs", mount);
        var failures = new List<string>();
        var rows = new List<(string, string)> { ("filesystem", $"tmpfs, {Size}, mounted in the run's directory and removed at the end; read-only by a read-only bind mount of the data directory") };
        try
        {
            var data = Path.Combine(mount, "data");
            var ledger = new AckLedger("rel", "disk", "fs");
            // The audit file lives off the small disk, so what fills it and what goes read-only are the records alone.
            var server = await harness.StartServerAsync(data, new Dictionary<string, string>
            {
                ["STRICTURE_SERVER_AUDIT_FILE"] = Path.Combine(harness.RunDirectory, "disk-audit.jsonl"),
            });
            try
            {
                var load = new PostLoad(server.BaseAddress, ledger, "d", options.Concurrency, seed: options.Seed);
                await using (load)
                {
                    await load.WaitForAcknowledgedAsync(100, options.PhaseTimeout, cancellationToken);

                    // 1. Disk full: a ballast file takes all but a sliver of the free space.
                    var ballast = Path.Combine(mount, "ballast");
                    var free = new DriveInfo(mount).AvailableFreeSpace;
                    await using (var file = File.Create(ballast))
                    {
                        file.SetLength(Math.Max(0, free - Headroom));
                        // tmpfs allocates on write, not on SetLength: write it, so the space is really taken.
                        var block = new byte[1024 * 1024];
                        long written = 0;
                        try
                        {
                            file.Position = 0;
                            while (written < free - Headroom)
                            {
                                var length = (int)Math.Min(block.Length, free - Headroom - written);
                                await file.WriteAsync(block.AsMemory(0, length), cancellationToken);
                                written += length;
                            }
                        }
                        catch (IOException)
                        {
                            // The load took the sliver first: the disk is full, which is the point.
                        }
                    }
                    var full = PostLoad.Now;
                    var firstFull = await WaitForAsync(load, full, [507, 503], options.PhaseTimeout, cancellationToken);
                    await Task.Delay(Observe, cancellationToken);
                    rows.Add(("disk full: first refusal after the ballast", Describe(firstFull, load, full)));
                    rows.Add(("disk full: answers while full", Statuses(load, full, PostLoad.Now)));
                    if (firstFull is null)
                    {
                        failures.Add("no 507 or 503 while the disk was full");
                    }

                    // 2. Space returns: the same server must accept again by itself.
                    File.Delete(ballast);
                    var freed = PostLoad.Now;
                    var recovered = await WaitForAsync(load, freed, [202], options.PhaseTimeout, cancellationToken);
                    rows.Add(("disk full: first 202 after the ballast is deleted", Seconds(recovered)));
                    if (recovered is null)
                    {
                        failures.Add("the server did not accept again after space returned");
                    }
                    await Task.Delay(Observe, cancellationToken);

                }
                failures.AddRange(load.Findings.Take(10));

                // 3. Read-only: the data directory becomes read-only under the running server, then load
                // meets it. Linux refuses to remount the filesystem itself read-only while the server holds
                // its data-directory lock open for writing, so the directory is bind-mounted onto itself
                // and that mount made read-only: every new open, create or rename in it fails with EROFS,
                // exactly as on a read-only disk.
                Run("mount", ["--bind", data, data], ignoreFailure: false);
                await RemountReadOnlyAsync(data, cancellationToken);
                var readOnlyLoad = new PostLoad(server.BaseAddress, ledger, "r", options.Concurrency, seed: options.Seed + 1);
                await using (readOnlyLoad)
                {
                    var readOnly = PostLoad.Now;
                    var firstReadOnly = await WaitForAsync(readOnlyLoad, readOnly, [503, 507], options.PhaseTimeout, cancellationToken);
                    await Task.Delay(Observe, cancellationToken);
                    rows.Add(("read-only: first refusal after the remount", Describe(firstReadOnly, readOnlyLoad, readOnly)));
                    rows.Add(("read-only: answers while read-only", Statuses(readOnlyLoad, readOnly, PostLoad.Now)));
                    if (firstReadOnly is null)
                    {
                        failures.Add("no 503 while the disk was read-only");
                    }
                    Mount("-o", "remount,bind,rw", data, ignoreFailure: false);
                    var writable = PostLoad.Now;
                    var recoveredWritable = await WaitForAsync(readOnlyLoad, writable, [202], options.PhaseTimeout, cancellationToken);
                    rows.Add(("read-only: first 202 after remounting read-write", Seconds(recoveredWritable)));
                    if (recoveredWritable is null)
                    {
                        failures.Add("the server did not accept again after the disk became writable");
                    }
                    await Task.Delay(Observe, cancellationToken);
                }
                failures.AddRange(readOnlyLoad.Findings.Take(10));
                rows.Add(("read-only phase: posts / acknowledged / refused with a problem body / other answers",
                    $"{readOnlyLoad.Posted:N0} / {readOnlyLoad.Acknowledged:N0} / {readOnlyLoad.ProblemBodies:N0} / {readOnlyLoad.BareErrors:N0}"));
                rows.Add(("disk-full phase: posts / acknowledged / refused with a problem body / other answers", $"{load.Posted:N0} / {load.Acknowledged:N0} / {load.ProblemBodies:N0} / {load.BareErrors:N0}"));

                // 4. Everything acknowledged, through all of it, is intact and listed; no partial file is visible.
                using (var reader = Harness.ClientFor(server))
                {
                    var check = await ledger.CheckAsync(reader, ledger.All, checkListing: true, cancellationToken);
                    rows.Add(("acknowledged runs: lost / torn / not listed", $"{check.Lost} / {check.Torn} / {check.NotListed} of {check.Checked:N0}"));
                    if (!check.Clean)
                    {
                        failures.Add(check.ToString());
                    }
                }
            }
            finally
            {
                await server.DisposeAsync();
            }
            var tree = Harness.ParseRecordsTree(data);
            rows.Add(("records tree files parsed after stop", $"{tree.Files:N0}, {tree.Unparseable} unparseable"));
            if (tree.Unparseable > 0)
            {
                failures.Add($"{tree.Unparseable} files of the records tree do not parse, e.g. {tree.Example}");
            }
        }
        finally
        {
            Run("umount", ["-l", Path.Combine(mount, "data")], ignoreFailure: true);
            Run("umount", ["-l", mount], ignoreFailure: false);
            Directory.Delete(mount);
        }
        return new ScenarioResult("Disk full and read-only disk, fs driver", rows, failures);
    }

    /// <summary>Remounts read-only, retrying while the server still holds a file open for writing (a request finishing).</summary>
    private static async Task RemountReadOnlyAsync(string mount, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Mount("-o", "remount,bind,ro", mount, ignoreFailure: false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task<TimeSpan?> WaitForAsync(PostLoad load, long since, int[] statuses, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (load.FirstAfter(since, statuses) is { } first)
            {
                return first;
            }
            await Task.Delay(50, cancellationToken);
        }
        return null;
    }

    private static string Describe(TimeSpan? first, PostLoad load, long since) =>
        first is null ? "none" : $"{Seconds(first)}, {string.Join(" or ", load.Answers.Where(a => a.At >= since && a.Status is 503 or 507).Select(a => a.Status).Distinct())}";

    private static string Statuses(PostLoad load, long from, long to) =>
        string.Join(", ", load.Answers.Where(a => a.At >= from && a.At < to).GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count():N0}"));

    private static string Seconds(TimeSpan? value) => value is { } v ? $"{v.TotalSeconds:0.00} s" : "never";

    private static void Mount(params string[] arguments) => Run("mount", arguments, ignoreFailure: false);

    private static void Mount(string options, string remount, string mount, bool ignoreFailure) => Run("mount", [options, remount, mount], ignoreFailure);

    private static void Run(string command, string[] arguments, bool ignoreFailure)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && !ignoreFailure)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {error.Trim()}");
        }
    }
}
