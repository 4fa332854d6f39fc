using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stricture.Ingest.Requests;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.Mirror;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;

namespace Stricture.Tests.Infrastructure;

/// <summary>The storage layer wired as the server wires it, on a given object store, without HTTP.</summary>
public sealed class RecordStoreHarness
{
    public static readonly ServiceIdentity Service = ServiceIdentity.Create("acme", "p", "s");

    /// <summary>Another service of the same project.</summary>
    public static ServiceIdentity ServiceNamed(string service) => ServiceIdentity.Create(Service.Organization, Service.Project, service);

    /// <summary>
    /// The storage layer on <paramref name="store"/>; compactInBackground false when a test deletes or counts derived objects and must not
    /// race a background compaction; assessRuns true for the blast-radius step under the default policy, as the server has it by default.
    /// </summary>
    public RecordStoreHarness(IObjectStore store, FakeTimeProvider? clock = null, IAcceptedRunLog? acceptedRuns = null, bool compactInBackground = true, bool assessRuns = false)
    {
        Store = store;
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var telemetry = new StorageTelemetry(new TestMeterFactory());
        Catalog = new RunCatalog(store, Keys, telemetry, compactInBackground: compactInBackground);
        Records = new RecordStore(store, Keys, Catalog, Clock, telemetry, NullLogger<RecordStore>.Instance, acceptedRuns,
            runAssessor: assessRuns ? new RunAssessor(Catalog, new DefaultGatePolicies()) : null);
        Reconciler = new CatalogReconciler(store, Keys, Catalog, NullLogger<CatalogReconciler>.Instance);
    }

    public IObjectStore Store { get; }
    public FakeTimeProvider Clock { get; }
    public RecordKeys Keys { get; } = new("stricture");
    public RunCatalog Catalog { get; }
    public RecordStore Records { get; }
    public CatalogReconciler Reconciler { get; }

    /// <summary>A post of <see cref="Service"/> (or another service name), parsed as the API parses it; <paramref name="diff"/> names a Drift/Fixtures file.</summary>
    public static RunSubmission Submission(
        string runId, string summary = "same", string? generatedAt = null, string? commitSha = null, string service = "s", string? diff = null)
    {
        var body = new JsonObject
        {
            ["organization"] = "acme",
            ["project"] = "p",
            ["service"] = service,
            ["run_id"] = runId,
            ["summary"] = summary,
            ["artifact"] = new JsonObject { ["k"] = new JsonArray(1, 2, 3) },
        };
        if (generatedAt is not null)
        {
            body["generated_at"] = generatedAt;
        }
        if (commitSha is not null)
        {
            body["commit_sha"] = commitSha;
        }
        if (diff is not null)
        {
            body["diff"] = JsonNode.Parse(File.ReadAllText(Repository.Path("Stricture.Tests", "Drift", "Fixtures", diff)));
        }
        Assert.True(SubmissionParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body.ToJsonString())), out var submission, out var problem),
            $"the harness's post must parse: {problem?.Detail}");
        return submission;
    }

    public async Task<IngestResult> IngestAsync(string runId, string? generatedAt = null, string? commitSha = null, string service = "s", string? diff = null)
    {
        var result = await Records.IngestAsync(Submission(runId, generatedAt: generatedAt, commitSha: commitSha, service: service, diff: diff), default);
        Assert.Equal(IngestStatus.Accepted, result.Status);
        return result;
    }

    public async Task<List<ManifestEntry>> ManifestAsync(string date, string service = "s") =>
        await Catalog.ReadManifestAsync(ServiceNamed(service), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), default);

    public Task<ManifestEntry?> LatestAsync(string service = "s") => Catalog.ReadLatestAsync(ServiceNamed(service), default);

    /// <summary>The compacted manifests and latest pointers (the documented derived layout), key to bytes.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotCatalogAsync()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await ListDerivedAsync())
        {
            if (key.EndsWith(".jsonl", StringComparison.Ordinal) && !key.Contains("/seg=", StringComparison.Ordinal) ||
                key.EndsWith("/latest.json", StringComparison.Ordinal))
            {
                snapshot[key] = Encoding.UTF8.GetString((await Store.ReadAsync(key, default))!.Content.Span);
            }
        }
        return snapshot;
    }

    /// <summary>Every derived object: compacted manifests, manifest segments, compaction marks and latest pointers.</summary>
    public async Task<List<string>> ListDerivedAsync()
    {
        var derived = new List<string>();
        string? token = null;
        do
        {
            var page = await Store.ListAsync(Keys.Root, token, 1000, default);
            derived.AddRange(page.Keys.Where(key => key.Contains("/manifests/", StringComparison.Ordinal) || key.EndsWith("/latest.json", StringComparison.Ordinal)));
            token = page.ContinuationToken;
        }
        while (token is not null);
        return derived;
    }
}
