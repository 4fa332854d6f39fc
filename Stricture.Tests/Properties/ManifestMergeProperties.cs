using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stricture.Storage.Catalog;

namespace Stricture.Tests.Properties;

/// <summary>
/// Merging runs into a day's manifest, on its public behaviour only (<see cref="ManifestDocument"/>:
/// Merge, MergeInto, Serialize, Parse): the bytes are a function of the set of runs, so merging is
/// commutative, associative and idempotent, the in-order append agrees with the full merge, and a
/// manifest reads back as the runs it was written from. Concurrent writers and a rebuild from
/// payloads rely on exactly this.
/// </summary>
public sealed class ManifestMergeProperties
{
    /// <summary>A pool of runs and two overlapping batches of it, as two writers would merge them.</summary>
    private static readonly Arbitrary<(ManifestEntry[] A, ManifestEntry[] B, ManifestEntry[] C)> Batches = Arb.From(
        Generators.DistinctEntries.SelectMany(pool => Gen.SubListOf(pool).Three()
            .Select(batches => (batches.Item1.ToArray(), batches.Item2.ToArray(), batches.Item3.ToArray()))));

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property Merging_two_batches_in_either_order_gives_the_same_bytes() => Prop.ForAll(Batches, input =>
    {
        var ab = Merged(Merged([], input.A), input.B);
        var ba = Merged(Merged([], input.B), input.A);

        Assert.True(ab.SequenceEqual(ba), $"merging {input.A.Length} then {input.B.Length} runs must equal the other order");
        Assert.True(ab.SequenceEqual(ManifestDocument.Serialize([.. input.A.Union(input.B).Order(RunOrder.Instance)])),
            "a merged manifest must be the canonical file of the union of its runs");
    });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property Merging_is_associative() => Prop.ForAll(Batches, input =>
    {
        var left = Merged(Merged(Merged([], input.A), input.B), input.C);
        var right = Merged(Merged([], input.A), [.. input.B, .. input.C]);

        Assert.True(left.SequenceEqual(right), "merging B then C must equal merging B and C at once");
    });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property Merging_runs_already_listed_changes_nothing() => Prop.ForAll(Batches, input =>
    {
        var manifest = Merged(Merged([], input.A), input.B);

        Assert.Null(ManifestDocument.MergeInto(manifest, [.. input.A, .. input.B]));
        Assert.Null(ManifestDocument.Merge(ManifestDocument.Parse(manifest), input.A));
    });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property The_in_order_append_agrees_with_the_full_merge() => Prop.ForAll(Batches, input =>
    {
        var current = ManifestDocument.Serialize([.. input.A.Order(RunOrder.Instance)]);

        var appended = ManifestDocument.MergeInto(current, input.B) ?? current;
        var full = ManifestDocument.Merge(ManifestDocument.Parse(current), input.B) is { } merged ? ManifestDocument.Serialize(merged) : current;

        Assert.True(appended.SequenceEqual(full), "MergeInto on a canonical file must give the bytes of a full merge");
    });

    [Property(Replay = Generators.Seed, MaxTest = 200)]
    public Property A_manifest_reads_back_as_its_runs_in_run_order() => Prop.ForAll(Batches, input =>
    {
        var runs = input.A.Order(RunOrder.Instance).ToList();

        var parsed = ManifestDocument.Parse(ManifestDocument.Serialize(runs));

        Assert.True(parsed.SequenceEqual(runs), "Parse(Serialize(runs)) must give the runs back, in run order, each once");
    });

    private static byte[] Merged(byte[] current, IReadOnlyCollection<ManifestEntry> additions) =>
        ManifestDocument.MergeInto(current, additions) ?? current;
}
