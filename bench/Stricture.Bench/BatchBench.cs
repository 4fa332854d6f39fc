using System.Globalization;
using System.Text;

namespace Stricture.Bench;

/// <summary>
/// Batch ingest against single posts, on one server (fs driver), in the same run: single posts from
/// <see cref="BenchOptions.Concurrency"/> clients and batches of 100 from two clients, the same count
/// of the same ~4 KiB bodies each slice, alternating in ABBA order so load that comes and goes on the
/// shared machine falls on both sides alike. Every item is a new durable record with its catalog and
/// commit index entries, as a post is.
/// </summary>
internal static class BatchBench
{
    public static async Task<string> RunAsync(BenchOptions options, string runDirectory, string command, Action<string> progress, CancellationToken cancellationToken)
    {
        var code = MachineInfo.Run("git", "describe", "--always", "--dirty") ?? "unknown";
        var machine = MachineInfo.Describe(runDirectory, options.ServerDll);
        var date = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage.Read();
        Quiet.Settle();
        await using var server = await ServerProcess.StartAsync(options.ServerDll, options.ServerWorkingDirectory, Path.Combine(runDirectory, "data-batch"),
            TimeSpan.FromSeconds(30));
        progress($"batch: server pid {server.Pid} on {server.BaseAddress}");
        using var singles = new IngestLoad(server, options);
        using var batches = new BatchLoad(server, options);
        await singles.WarmUpAsync(0, options.WarmUp, cancellationToken);
        await batches.RunSliceAsync("v00", options.WarmUp, cancellationToken);

        var slices = new List<(IngestSlice Single, IngestSlice Batch)>();
        for (var i = 0; i < options.Slices; i++)
        {
            var count = options.Count / options.Slices;
            async Task<IngestSlice> SingleAsync()
            {
                Quiet.Settle();
                return await singles.RunSliceAsync(i, count, cancellationToken);
            }
            async Task<IngestSlice> BatchAsync()
            {
                Quiet.Settle();
                return await batches.RunSliceAsync($"b{i:D2}", count, cancellationToken);
            }
            IngestSlice single, batch;
            if (i % 2 == 0)
            {
                single = await SingleAsync();
                batch = await BatchAsync();
            }
            else
            {
                batch = await BatchAsync();
                single = await SingleAsync();
            }
            if (single.Failed + batch.Failed > 0)
            {
                throw new InvalidOperationException($"slice {i + 1}: {single.Failed} single posts and {batch.Failed} batches failed: " +
                                                    string.Join(" | ", single.FailureSamples.Concat(batch.FailureSamples)));
            }
            slices.Add((single, batch));
            progress($"slice {i + 1}/{options.Slices}: single posts {single.PerSecond:N0}/s, batch items {batch.PerSecond:N0}/s (x{batch.PerSecond / single.PerSecond:0.00})");
        }

        var singleCpu = CpuUsage.Sum(slices.Select(s => s.Single.Cpu));
        var batchCpu = CpuUsage.Sum(slices.Select(s => s.Batch.Cpu));
        var singleRate = slices.Sum(s => s.Single.Count) / singleCpu.Elapsed.TotalSeconds;
        var batchRate = slices.Sum(s => s.Batch.Count) / batchCpu.Elapsed.TotalSeconds;
        var report = new StringBuilder();
        ReportHeading.Append(report, "Batch ingest against single posts", date, command, code, machine, loadAtStart);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- {options.Count:N0} single posts ({options.Concurrency} clients) and {options.Count:N0} batch items ({BatchLoad.ItemsPerBatch} a batch, " +
            $"{BatchLoad.Clients} clients), ~{IngestLoad.BodyBytes / 1024} KiB each, in {options.Slices} alternating slices, fs driver, one service-day");
        report.AppendLine();
        report.AppendLine("| slice | single posts/s | batch items/s | batch / single |");
        report.AppendLine("| --- | --- | --- | --- |");
        foreach (var (slice, index) in slices.Select((slice, index) => (slice, index + 1)))
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {index} | {slice.Single.PerSecond:N0} | {slice.Batch.PerSecond:N0} | {slice.Batch.PerSecond / slice.Single.PerSecond:0.00} |");
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"| all | {singleRate:N0} | {batchRate:N0} | {batchRate / singleRate:0.00} |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Server CPU per item: single {singleCpu.ServerCpu.TotalMilliseconds / slices.Sum(s => s.Single.Count):0.000} ms, " +
            $"batch {batchCpu.ServerCpu.TotalMilliseconds / slices.Sum(s => s.Batch.Count):0.000} ms; machine busy {singleCpu.BusyPercent:0}% / {batchCpu.BusyPercent:0}%; " +
            $"batch p50 {LatencySummary.FromTimestampDeltas([.. slices.SelectMany(s => s.Batch.Latencies)]).P50:0} ms for {BatchLoad.ItemsPerBatch} items.");
        return report.ToString();
    }
}
