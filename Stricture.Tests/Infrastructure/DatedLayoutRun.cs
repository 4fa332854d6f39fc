using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;
using Stricture.Storage.Records;
using Stricture.Storage.Time;

namespace Stricture.Tests.Infrastructure;

/// <summary>
/// Writes a run of <see cref="RecordStoreHarness.Service"/> as the dated layout stored it, byte for
/// byte: its claim at the record key (<c>runs/run=&lt;id&gt;.json</c>, naming the payload) and,
/// unless a crash came between, its payload at <c>date=&lt;D&gt;/run=&lt;id&gt;/payload.json</c>. No
/// code writes that layout any more; data written before records moved still holds it.
/// </summary>
public static class DatedLayoutRun
{
    /// <returns>The payload's key and the bytes stored there (or that a completed post would store).</returns>
    public static async Task<(string PayloadKey, byte[] Payload)> StoreAsync(
        RecordStoreHarness harness, string runId, DateTimeOffset receivedAt, bool withPayload = true)
    {
        var submission = RecordStoreHarness.Submission(runId);
        var run = RecordStoreHarness.Service.WithRun(runId);
        var payloadKey = harness.Keys.DatedPayload(run, RecordKeys.PartitionDate(generatedAt: null, receivedAt));
        var claim = new RunIndexEntry(runId, payloadKey, UtcTimestamp.Format(receivedAt), RunEnvelope.Fingerprint(submission, runId));
        using var envelope = new MemoryStream();
        await RunEnvelope.WriteAsync(envelope, submission, runId, new RunEnvelope.ServerFields(claim.ReceivedAt, claim.ContentSha256), default);
        Assert.Equal(CreateOutcome.Created, await harness.Store.CreateIfAbsentAsync(harness.Keys.Record(run), claim.ToJson(), default));
        if (withPayload)
        {
            Assert.Equal(CreateOutcome.Created, await harness.Store.CreateIfAbsentAsync(payloadKey, envelope.ToArray(), default));
        }
        return (payloadKey, envelope.ToArray());
    }
}
