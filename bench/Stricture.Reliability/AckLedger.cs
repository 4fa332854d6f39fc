using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Stricture.Reliability;

/// <summary>What a 202 promised: where the run is and the SHA-256 of its stored bytes.</summary>
internal sealed record Acknowledgement(string RunId, string Location, string Sha256);

/// <summary>What checking acknowledged runs against a server found.</summary>
internal sealed record LedgerCheck(int Checked, int Lost, int Torn, int NotListed, IReadOnlyList<string> Examples)
{
    public bool Clean => Lost == 0 && Torn == 0 && NotListed == 0;

    public override string ToString() =>
        $"{Checked:N0} checked: {Lost} lost, {Torn} torn, {NotListed} not listed" + (Examples.Count > 0 ? $" (e.g. {string.Join("; ", Examples)})" : "");
}

/// <summary>
/// Every run a server acknowledged with a 202, and the check the harness makes after every fault:
/// each one is served by GET /v1/runs/…/{run_id} with bytes that hash to the acknowledged SHA-256
/// (else it is lost or torn), and the date-range listing, which is served from the derived
/// manifests, names it (else a query would not see it).
/// </summary>
internal sealed class AckLedger(string organization, string project, string service)
{
    private const int ExamplesKept = 5;

    private readonly ConcurrentDictionary<string, Acknowledgement> _acknowledged = new(StringComparer.Ordinal);

    public string Organization => organization;

    public string Project => project;

    public string Service => service;

    public int Count => _acknowledged.Count;

    public IReadOnlyCollection<Acknowledgement> All => [.. _acknowledged.Values];

    /// <summary>Records a 202. A retry must be acknowledged with the first location: a different one is a finding.</summary>
    public string? Record(Acknowledgement acknowledgement)
    {
        var kept = _acknowledged.GetOrAdd(acknowledgement.RunId, acknowledgement);
        return kept.Location == acknowledgement.Location && kept.Sha256 == acknowledgement.Sha256
            ? null
            : $"run {acknowledgement.RunId} acknowledged at {kept.Location} ({kept.Sha256[..12]}) and again at {acknowledgement.Location} ({acknowledgement.Sha256[..12]})";
    }

    public Acknowledgement? Random(Random random)
    {
        var values = _acknowledged.Values.ToArray();
        return values.Length == 0 ? null : values[random.Next(values.Length)];
    }

    public async Task<LedgerCheck> CheckAsync(HttpClient client, IEnumerable<Acknowledgement> runs, bool checkListing, CancellationToken cancellationToken)
    {
        var examples = new ConcurrentQueue<string>();
        var lost = 0;
        var torn = 0;
        var list = runs.ToList();
        await Parallel.ForEachAsync(list, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (run, token) =>
        {
            using var response = await client.GetAsync($"v1/runs/{organization}/{project}/{service}/{run.RunId}", token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref lost);
                examples.Enqueue($"{run.RunId}: GET answered {(int)response.StatusCode}");
                return;
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(token);
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != run.Sha256)
            {
                Interlocked.Increment(ref torn);
                examples.Enqueue($"{run.RunId}: stored bytes do not hash to the acknowledged SHA-256");
            }
        });
        var notListed = 0;
        if (checkListing)
        {
            var listed = await ListedRunIdsAsync(client, cancellationToken);
            foreach (var run in list.Where(run => !listed.Contains(run.RunId)))
            {
                notListed++;
                examples.Enqueue($"{run.RunId}: not in the date-range listing");
            }
        }
        return new LedgerCheck(list.Count, lost, torn, notListed, [.. examples.Take(ExamplesKept)]);
    }

    /// <summary>Every run id the listing names over the days around today (the runs carry no generated_at).</summary>
    private async Task<HashSet<string>> ListedRunIdsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var url = $"v1/runs/{organization}/{project}/{service}/?from={from}&to={to}&limit=1000" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await client.GetAsync(url, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            foreach (var run in page.RootElement.GetProperty("runs").EnumerateArray())
            {
                listed.Add(run.GetProperty("run_id").GetString()!);
            }
            cursor = page.RootElement.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return listed;
    }
}
