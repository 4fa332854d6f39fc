using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Stricture.Storage.S3;
using Stricture.Tests.Commits;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.S3;

/// <summary>The commit index on the s3 driver, against the real S3 server, through real HTTP.</summary>
public sealed class S3CommitIndexTests : BucketTest
{
    [Fact]
    public async Task The_runs_of_a_commit_answer_the_same_on_s3_and_after_the_commit_index_is_rebuilt_byte_for_byte()
    {
        // 1. Post through a server on the bucket, check and record the answers.
        Dictionary<string, string> before;
        await using (var server = IngestServer.Start(S3.IngestSettings(Bucket), time: new FakeTimeProvider(CommitScenario.Now)))
        {
            await CommitScenario.PostAllAsync(server.Client);
            await CommitScenario.AssertAnswersAsync(server.Client);
            before = await CommitScenario.AnswersAsync(server.Client);
        }

        // 2. Fold every segment in and keep the compacted shards; then delete the whole index and rebuild it from the payloads.
        var settings = S3.Settings(Bucket);
        using var store = new S3ObjectStore(S3ClientFactory.Create(settings), settings, NullLogger<S3ObjectStore>.Instance);
        await CommitScenario.ReconcileAsync(store);
        var built = await CommitScenario.CompactedShardsAsync(store);
        Assert.True(built.Count >= 2, "the scenario's commits must fill at least two shards");
        foreach (var key in await CommitScenario.CommitKeysAsync(store))
        {
            await Client.DeleteObjectAsync(Bucket, key);
        }
        await CommitScenario.ReconcileAsync(store);

        // 3. The same shards byte for byte, and the same answers from a new server.
        var rebuilt = await CommitScenario.CompactedShardsAsync(store);
        Assert.Equal(built.Keys, rebuilt.Keys);
        foreach (var (key, entries) in built)
        {
            Assert.True(entries == rebuilt[key], $"the rebuilt shard {key} must hold the same bytes:\n{entries}\n{rebuilt[key]}");
        }
        await using (var server = IngestServer.Start(S3.IngestSettings(Bucket), time: new FakeTimeProvider(CommitScenario.Now)))
        {
            var after = await CommitScenario.AnswersAsync(server.Client);
            foreach (var query in CommitScenario.Queries)
            {
                Assert.True(before[query] == after[query], $"{query} must answer the same after the rebuild:\n{before[query]}\n{after[query]}");
            }
        }
    }
}
