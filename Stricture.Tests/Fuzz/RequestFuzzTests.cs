using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Fuzz;

/// <summary>
/// The suite's short, deterministic fuzzing run: every committed corpus input (real-shaped lineage
/// posts and the edge cases the tests know, in Fuzz/corpus) and a fixed-seed set of mutations of
/// them must end in an accepted post or a precise 4xx problem; never an exception (a 500), a hang
/// or unbounded memory. Longer, coverage-guided runs are by hand (docs/reliability.md).
/// </summary>
public sealed class RequestFuzzTests
{
    private const int Seed = 20261205;
    private const int MutationsPerInput = 40;
    private const int MutationsPerInputOverHttp = 3;

    /// <summary>Far above any one input's time here (milliseconds): only a hang reaches it.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Fuzz", "corpus");

    [Fact]
    public void Every_corpus_input_and_its_mutations_end_in_a_stored_post_or_a_precise_problem()
    {
        var corpus = Corpus();
        var mutator = new CorpusMutator(Seed, [.. corpus.Select(c => c.Bytes)]);
        var outcomes = new Dictionary<int, int>();

        foreach (var (name, bytes) in corpus)
        {
            foreach (var (input, label) in new[] { (bytes, name) }.Concat(
                         Enumerable.Range(0, MutationsPerInput).Select(i => (mutator.Mutate(bytes), $"{name} mutation {i}"))))
            {
                var outcome = RunBounded(input, label);
                outcomes[outcome.Status] = outcomes.GetValueOrDefault(outcome.Status) + 1;
            }
        }

        Assert.True(outcomes.GetValueOrDefault(202) > corpus.Count / 4, $"the mutations must leave many posts valid; outcomes {Describe(outcomes)}");
        Assert.True(outcomes.GetValueOrDefault(400) > corpus.Count, $"the mutations must produce many refusals; outcomes {Describe(outcomes)}");
    }

    [Fact]
    public void The_corpus_says_which_inputs_are_posts_and_which_are_refusals()
    {
        foreach (var (name, bytes) in Corpus())
        {
            var outcome = RunBounded(bytes, name);
            if (name.StartsWith("post-", StringComparison.Ordinal))
            {
                Assert.True(outcome.Status == 202, $"{name} is a valid post and must be accepted, got {outcome.Status} {outcome.Code}");
            }
            else if (name.StartsWith("reject-", StringComparison.Ordinal) || name.StartsWith("edge-lone-surrogate", StringComparison.Ordinal))
            {
                Assert.True(outcome.Status == 400, $"{name} must be refused with a 400, got {outcome.Status}");
            }
        }
    }

    [Fact]
    public async Task Over_real_http_the_corpus_and_its_mutations_get_2xx_or_a_4xx_problem_never_5xx()
    {
        await using var server = IngestServer.Start();
        server.Client.Timeout = HangLimit;
        var corpus = Corpus();
        var mutator = new CorpusMutator(Seed + 1, [.. corpus.Select(c => c.Bytes)]);

        foreach (var (name, bytes) in corpus)
        {
            foreach (var (input, label) in new[] { (bytes, name) }.Concat(
                         Enumerable.Range(0, MutationsPerInputOverHttp).Select(i => (mutator.Mutate(bytes), $"{name} mutation {i}"))))
            {
                using var response = await server.Client.PostAsync("/v1/artifacts", Posts.Raw(input));
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(status is 202 or (>= 400 and < 500), $"{label} got {status}: {text}");
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{label}: a {status} must carry a problem body");
                    using var problem = JsonDocument.Parse(text);
                    Assert.True(problem.RootElement.GetProperty("status").GetInt32() == status && problem.RootElement.TryGetProperty("code", out _),
                        $"{label}: the problem must state its status and code: {text}");
                }
            }
        }
    }

    private static IngestFuzzTarget.Outcome RunBounded(byte[] input, string label)
    {
        long allocated = 0;
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                return IngestFuzzTarget.Run(input);
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        });
        // Waits without rethrowing, so a finding is reported with its input.
        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(HangLimit), $"{label} did not finish within {HangLimit.TotalSeconds:0} s: {Preview(input)}");
        Assert.True(run.IsCompletedSuccessfully, $"{label} threw {run.Exception?.InnerException}: {Preview(input)}");
        // Parsing, compacting and one envelope are each a small multiple of the input: memory must not grow past that.
        var allowance = 8L * 1024 * 1024 + 64L * input.Length;
        Assert.True(allocated < allowance, $"{label} allocated {allocated:N0} bytes for {input.Length:N0} input bytes (allowed {allowance:N0})");
        Assert.True(clock.Elapsed < HangLimit, $"{label} took {clock.Elapsed}");
        return run.Result;
    }

    private static List<(string Name, byte[] Bytes)> Corpus()
    {
        var files = Directory.GetFiles(CorpusDirectory).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 30, $"the fuzzing corpus must be copied beside the tests ({CorpusDirectory})");
        return [.. files.Select(file => (Path.GetFileName(file), File.ReadAllBytes(file)))];
    }

    private static string Preview(byte[] input) => Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 512)));

    private static string Describe(Dictionary<int, int> outcomes) => string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));
}
