using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stricture.Ingest.Requests;
using Stricture.Storage.BlastRadius;
using Stricture.Storage.Catalog;
using Stricture.Storage.Filesystem;
using Stricture.Storage.Keys;
using Stricture.Storage.Records;
using Stricture.Storage.Telemetry;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.BlastRadius;

/// <summary>The record store with the blast-radius step, wired as the server wires it, on a data directory, without HTTP.</summary>
public sealed class BlastRadiusHarness : IDisposable
{
    private readonly TestDirectory _directory;
    private readonly bool _ownsDirectory;
    private readonly GatePolicy? _policy;

    public BlastRadiusHarness(GatePolicy? policy = null)
        : this(new TestDirectory(), policy)
    {
    }

    private BlastRadiusHarness(TestDirectory directory, GatePolicy? policy, FileSystemObjectStore? store = null)
    {
        _directory = directory;
        _ownsDirectory = store is null;
        _policy = policy;
        Store = store ?? new FileSystemObjectStore(_directory.Path);
        var telemetry = new StorageTelemetry(new TestMeterFactory());
        Catalog = new RunCatalog(Store, Keys, telemetry, compactInBackground: false);
        Records = new RecordStore(Store, Keys, Catalog, new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)), telemetry,
            NullLogger<RecordStore>.Instance, runAssessor: new RunAssessor(Catalog, new FixedPolicy(policy ?? GatePolicy.Defaults)));
        Reconciler = new CatalogReconciler(Store, Keys, Catalog, NullLogger<CatalogReconciler>.Instance);
    }

    public FileSystemObjectStore Store { get; }
    public RecordKeys Keys { get; } = new("stricture");
    public RunCatalog Catalog { get; }
    public RecordStore Records { get; }
    public CatalogReconciler Reconciler { get; }
    public string DataDirectory => _directory.Path;

    public async Task<IngestResult> PostAsync(JsonObject body)
    {
        Assert.True(SubmissionParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body.ToJsonString())), out var submission, out var problem),
            $"the scenario's post must parse: {problem?.Detail}");
        var result = await Records.IngestAsync(submission, default);
        Assert.True(result.Status == IngestStatus.Accepted, $"run {body["run_id"]} must be accepted");
        return result;
    }

    /// <summary>Every file under the organization's blast-radius folder, by key, with its bytes.</summary>
    public Dictionary<string, byte[]> IndexFiles()
    {
        var root = Path.Combine(DataDirectory, "stricture", "v1", $"org={BlastRadiusScenario.Organization}", "blast");
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).ToDictionary(file => Path.GetRelativePath(root, file), File.ReadAllBytes)
            : [];
    }

    /// <summary>
    /// Another process's view of the same store: its own catalog, record store and blast-radius
    /// index, so nothing this harness remembers in memory is shared.
    /// </summary>
    public BlastRadiusHarness Replica() => new(_directory, _policy, Store);

    public void Dispose()
    {
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
    }

    private sealed class FixedPolicy(GatePolicy policy) : IGatePolicySource
    {
        public GatePolicy For(string organization) => policy;
    }
}
