using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Stricture.Reliability;

/// <summary>One answer (or none) to one request, when it came, and how long it took.</summary>
internal readonly record struct Answer(long At, int Status, TimeSpan Latency, bool IsPost);

/// <summary>
/// Concurrent clients posting runs to one server until stopped: mostly new run ids, one in ten a
/// retry of a run already acknowledged (which must be answered with the same location). Every 202
/// goes into the <see cref="AckLedger"/>; every answer into a timeline, so a scenario can say when
/// the first 503 came after a fault and the first 202 after recovery. Status 0 is no answer (the
/// connection failed, as when the server is killed mid-request).
/// </summary>
internal sealed class PostLoad : IAsyncDisposable
{
    private const int RetryOneIn = 10;

    private readonly HttpClient _client;
    private readonly AckLedger _ledger;
    private readonly string _runPrefix;
    private readonly TimeSpan _pause;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<string> _findings = new();
    private readonly Task[] _clients;
    private int _posted;
    private int _acknowledged;
    private int _problemBodies;
    private int _bareErrors;

    /// <summary>Starts the clients at once. <paramref name="pause"/> is what each waits between posts: zero for full load, more for a steady rate.</summary>
    public PostLoad(Uri server, AckLedger ledger, string runPrefix, int concurrency, TimeSpan pause = default, int seed = 1)
    {
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(90),
        };
        _ledger = ledger;
        _runPrefix = runPrefix;
        _pause = pause;
        _clients = [.. Enumerable.Range(0, concurrency).Select(c => Task.Run(() => ClientAsync(c, new Random(seed * 1000 + c))))];
    }

    public int Posted => Volatile.Read(ref _posted);

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Non-2xx answers that carried an RFC 9457 problem body.</summary>
    public int ProblemBodies => Volatile.Read(ref _problemBodies);

    /// <summary>Non-2xx answers without a problem body, and 5xx other than 503/507: a finding each.</summary>
    public int BareErrors => Volatile.Read(ref _bareErrors);

    public IReadOnlyCollection<string> Findings => _findings;

    public IReadOnlyList<Answer> Answers => [.. _answers];

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>When the first answer with one of <paramref name="statuses"/> came after <paramref name="since"/>, or null.</summary>
    public TimeSpan? FirstAfter(long since, params int[] statuses) =>
        _answers.Where(a => a.At >= since && a.IsPost && statuses.Contains(a.Status)).Select(a => (long?)a.At).Min() is { } at
            ? Stopwatch.GetElapsedTime(since, at)
            : null;

    public int CountBetween(long from, long to, int status) => _answers.Count(a => a.At >= from && a.At < to && a.IsPost && a.Status == status);

    /// <summary>Waits until <paramref name="count"/> more runs are acknowledged than at the call, or the timeout.</summary>
    public async Task<bool> WaitForAcknowledgedAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Acknowledged + count;
        var clock = Stopwatch.StartNew();
        while (Acknowledged < target)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(20, cancellationToken);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ClientAsync(int clientNumber, Random random)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var retry = random.Next(RetryOneIn) == 0 ? _ledger.Random(random) : null;
            var runId = retry?.RunId ?? $"{_runPrefix}-c{clientNumber}-{i}";
            var body = Body(_ledger, runId);
            var started = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _posted);
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await _client.PostAsync("v1/artifacts", content, _stop.Token);
                var status = (int)response.StatusCode;
                _answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), status, Stopwatch.GetElapsedTime(started), true));
                var text = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    using var answer = JsonDocument.Parse(text);
                    var acknowledgement = new Acknowledgement(runId, answer.RootElement.GetProperty("location").GetString()!, answer.RootElement.GetProperty("sha256").GetString()!);
                    if (_ledger.Record(acknowledgement) is { } finding)
                    {
                        _findings.Enqueue(finding);
                    }
                    Interlocked.Increment(ref _acknowledged);
                }
                else if (response.Content.Headers.ContentType?.MediaType == "application/problem+json" && status is 503 or 507)
                {
                    Interlocked.Increment(ref _problemBodies);
                }
                else
                {
                    Interlocked.Increment(ref _bareErrors);
                    _findings.Enqueue($"{runId}: {status} {text[..Math.Min(text.Length, 300)]}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException || (exception is OperationCanceledException && !_stop.IsCancellationRequested))
            {
                // No answer: the server died, or the store hung past the client's patience. Nothing was promised.
                _answers.Enqueue(new Answer(Stopwatch.GetTimestamp(), 0, Stopwatch.GetElapsedTime(started), true));
                await Task.Delay(50, CancellationToken.None);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (_pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(_pause, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>A ~2 KiB lineage-export post; its content is a function of the run id, so a retry is the same post.</summary>
    public static byte[] Body(AckLedger ledger, string runId)
    {
        var nodes = string.Join(",", Enumerable.Range(0, 12).Select(n =>
            $"{{\"id\":\"warehouse.table_{n}\",\"kind\":\"table\",\"columns\":[{{\"name\":\"id\",\"type\":\"bigint\"}},{{\"name\":\"value_{n}\",\"type\":\"text\"}}]}}"));
        return Encoding.UTF8.GetBytes(
            $"{{\"organization\":\"{ledger.Organization}\",\"project\":\"{ledger.Project}\",\"service\":\"{ledger.Service}\",\"run_id\":\"{runId}\"," +
            $"\"commit_sha\":\"4f2a9c1e0b7d3a8f6c5e4d3b2a1f0e9d8c7b6a59\",\"artifact\":{{\"schema\":\"lineage-export/v2\",\"run\":\"{runId}\",\"nodes\":[{nodes}]}}," +
            "\"summary\":\"# Lineage\\nNo changes.\",\"metadata\":{\"pipeline\":\"reliability\"}}");
    }
}
