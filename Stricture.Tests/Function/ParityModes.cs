using System.IO.Compression;
using Amazon.S3;
using Amazon.S3.Model;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Function;

public enum Mode
{
    Server,
    Function,
}

/// <summary>
/// The same built binary with the same settings, twice: a listening server process (real HTTP)
/// and a function process (a Runtime API on loopback, payload-2.0 events), each with a bucket of
/// its own on the real S3 server, so what each stored can be compared key by key. A subclass adds
/// settings to both (<see cref="NormalizingParityModes"/>).
/// </summary>
public class ParityModes : IAsyncLifetime
{
    private readonly TestDirectory _data = new();
    private readonly TestDirectory _policies = new();
    private S3TestServer _s3 = null!;
    private AmazonS3Client _client = null!;
    private TokenFile _tokens = null!;
    private ServiceProcess _server = null!;
    private HttpClient _serverClient = null!;
    private TestLambdaRuntime _runtime = null!;
    private FunctionProcess _function = null!;
    private readonly Dictionary<Mode, string> _buckets = [];

    /// <summary>A scoped token of the token file, granted only organization "other".</summary>
    public ScopedTestToken OtherOrganization { get; } = ScopedTestToken.Valid("ci-other", "other/*");

    public async Task InitializeAsync()
    {
        _s3 = await S3TestServer.GetAsync();
        _client = _s3.CreateClient();
        _buckets[Mode.Server] = await _s3.CreateBucketAsync();
        _buckets[Mode.Function] = await _s3.CreateBucketAsync();
        _tokens = new TokenFile(OtherOrganization);
        File.WriteAllText(Path.Combine(_policies.Path, "acme.yaml"), ParityCases.Policy);

        _server = await ServiceProcess.StartIngestAsync(_data.Path, Settings(Mode.Server));
        _serverClient = new HttpClient { BaseAddress = _server.BaseAddress };
        _runtime = await TestLambdaRuntime.StartAsync();
        _function = FunctionProcess.Start(_runtime, Settings(Mode.Function));
    }

    /// <summary>Settings both modes run with besides the table's own.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>();

    private Dictionary<string, string> Settings(Mode mode)
    {
        var settings = new Dictionary<string, string>(_s3.IngestEnvironment(_buckets[mode]))
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = ParityCases.Token,
            ["STRICTURE_SERVER_TOKEN_FILE"] = _tokens.Path,
            ["STRICTURE_SERVER_POLICY_DIR"] = _policies.Path,
            ["STRICTURE_SERVER_MAX_BODY_BYTES"] = ParityCases.MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in ExtraSettings)
        {
            settings[name] = value;
        }
        return settings;
    }

    public async Task<CapturedResponse> SendAsync(Mode mode, HttpRequestMessage request)
    {
        using (request)
        {
            if (mode == Mode.Server)
            {
                using var response = await _serverClient.SendAsync(request);
                return await CaptureAsync(response);
            }
            var reply = await _runtime.InvokeAsync(await HttpApiEvents.FromRequestAsync(request));
            Assert.True(reply.Error is null, $"the function reported an invocation error: {reply.Error?.Body}\n{_function.Output}");
            using var answer = HttpApiEvents.ToResponse(reply.Response!);
            return await CaptureAsync(answer);
        }
    }

    /// <summary>Every object stored under one service's prefix, by key, but for what compaction writes.</summary>
    public async Task<SortedDictionary<string, byte[]>> StoredAsync(Mode mode, string service)
    {
        var objects = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = _buckets[mode], Prefix = $"stricture/v1/org=acme/project=checkout/service={service}/" };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request);
            // A day's compacted manifest and compaction mark (and the organization's compacted shards) are
            // written in the background, when each process gets to it; the segments written before the 202 are compared instead.
            foreach (var entry in (page.S3Objects ?? []).Where(entry => !IsWrittenByCompaction(entry.Key)))
            {
                using var stored = await _client.GetObjectAsync(_buckets[mode], entry.Key);
                using var buffer = new MemoryStream();
                await stored.ResponseStream.CopyToAsync(buffer);
                objects[entry.Key] = buffer.ToArray();
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return FoldSegments(objects);
    }

    /// <summary>
    /// Concurrent appends (a batch's items) share segments as they arrive, so how a day's entries fall
    /// into segments, and their order, follows timing, in either mode. What both modes must agree on is
    /// the day's entries: each day's segments become one object holding their lines, sorted.
    /// </summary>
    private static SortedDictionary<string, byte[]> FoldSegments(SortedDictionary<string, byte[]> objects)
    {
        var folded = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var days = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, content) in objects)
        {
            var segment = key.IndexOf("/seg=", StringComparison.Ordinal);
            if (segment < 0)
            {
                folded[key] = content;
                continue;
            }
            var day = key[..segment] + "/segments";
            if (!days.TryGetValue(day, out var lines))
            {
                days[day] = lines = [];
            }
            lines.AddRange(System.Text.Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        foreach (var (day, lines) in days)
        {
            lines.Sort(StringComparer.Ordinal);
            folded[day] = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }
        return folded;
    }

    private static bool IsWrittenByCompaction(string key) =>
        key.EndsWith("/compacted.json", StringComparison.Ordinal) ||
        (key.Contains("/manifests/", StringComparison.Ordinal) || key.Contains("/services/shard=", StringComparison.Ordinal) ||
         key.Contains("/drift/date=", StringComparison.Ordinal)) &&
        key.EndsWith(".jsonl", StringComparison.Ordinal) && !key.Contains("/seg=", StringComparison.Ordinal);

    private static async Task<CapturedResponse> CaptureAsync(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            headers[name] = string.Join(", ", values);
        }
        var body = await response.Content.ReadAsByteArrayAsync();
        if (headers.GetValueOrDefault("Content-Encoding") == "gzip")
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await gzip.CopyToAsync(plain);
            body = plain.ToArray();
        }
        return new CapturedResponse((int)response.StatusCode, headers, body);
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _runtime.DisposeAsync();
        _serverClient.Dispose();
        await _server.DisposeAsync();
        _client.Dispose();
        _tokens.Dispose();
        _policies.Dispose();
        _data.Dispose();
    }
}

/// <summary>Both modes with STRICTURE_SERVER_IDENTIFIERS=normalize.</summary>
public sealed class NormalizingParityModes : ParityModes
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings =>
        new Dictionary<string, string> { ["STRICTURE_SERVER_IDENTIFIERS"] = "normalize" };
}
