using Amazon.S3.Model;
using Stricture.Storage.Keys;

namespace Stricture.Bench;

/// <summary>
/// What a replica bucket holds for the benchmark's one service, counted by listing it: records,
/// day manifests and the latest pointer. A few LIST requests, where the verify
/// command compares every key (a HEAD each); the census is enough to show that every run of a
/// phase arrived, and verify is run where it matters most, on the runs ingest acknowledged.
/// </summary>
internal sealed record BucketCensus(int Records, int Manifests, int Latest)
{
    public override string ToString() => $"{Records:N0} records, {Manifests} day manifests, {Latest} latest pointer";

    public static async Task<BucketCensus> TakeAsync(S3Bucket bucket, CancellationToken cancellationToken)
    {
        var keys = new RecordKeys("stricture");
        var service = keys.ServicePrefix(RunSeeder.Service);
        int records = 0, manifests = 0, latest = 0;
        string? token = null;
        do
        {
            var page = await bucket.Client.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket.Name, Prefix = service, ContinuationToken = token, MaxKeys = 1000 }, cancellationToken);
            foreach (var key in (page.S3Objects ?? []).Select(o => o.Key))
            {
                if (keys.TryParseRecord(key, out _))
                {
                    records++;
                }
                else if (key.StartsWith(service + "manifests/", StringComparison.Ordinal))
                {
                    manifests++;
                }
                else if (key == keys.Latest(RunSeeder.Service))
                {
                    latest++;
                }
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return new BucketCensus(records, manifests, latest);
    }

    /// <summary>Every one of <paramref name="runs"/> has its record, and there is a latest pointer.</summary>
    public bool Holds(int runs) => Records == runs && Latest == 1;
}
