using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stricture.Storage.Identity;
using Stricture.Storage.Keys;
using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Properties;

/// <summary>
/// The canonical key layout, for any valid identity, date and prefix: a record key (and a dated
/// payload key, the layout earlier data keeps) parses back to the run (and date) it was built from,
/// every key is one every driver accepts, and only run keys parse as runs (reconcile and the
/// replicator tell records apart by this).
/// </summary>
public sealed class RecordKeyProperties
{
    private static readonly Arbitrary<(string Prefix, RunIdentity Run, DateOnly Date)> Runs = Arb.From(
        from prefix in Generators.Prefix
        from service in Generators.Service
        from runId in Generators.Identifier
        from date in Generators.Date
        select (prefix, service.WithRun(runId), date));

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property A_record_key_parses_back_to_its_run() => Prop.ForAll(Runs, sample =>
    {
        var keys = new RecordKeys(sample.Prefix);
        var key = keys.Record(sample.Run);

        Assert.True(keys.TryParseRecord(key, out var run), $"'{key}' must parse as a record key");
        Assert.True(sample.Run == run, $"'{key}' must parse to {sample.Run}, not {run}");
        Assert.False(keys.TryParseDatedPayload(key, out _, out _), $"'{key}' is a record key, not a dated payload key");
    });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property A_dated_payload_key_parses_back_to_its_run_and_date() => Prop.ForAll(Runs, sample =>
    {
        var keys = new RecordKeys(sample.Prefix);
        var key = keys.DatedPayload(sample.Run, sample.Date);

        Assert.True(keys.TryParseDatedPayload(key, out var run, out var date), $"'{key}' must parse as a dated payload key");
        Assert.True(sample.Run == run, $"'{key}' must parse to {sample.Run}, not {run}");
        Assert.True(sample.Date == date, $"'{key}' must parse to {sample.Date:O}, not {date:O}");
        Assert.False(keys.TryParseRecord(key, out _), $"'{key}' is a dated payload key, not a record key");
    });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property Every_key_of_a_run_is_a_valid_object_key_and_only_the_run_keys_parse_as_runs() => Prop.ForAll(Runs, sample =>
    {
        var keys = new RecordKeys(sample.Prefix);
        var derived = new[]
        {
            keys.Manifest(sample.Run.Service, sample.Date), keys.ManifestSegment(sample.Run.Service, sample.Date, 1),
            keys.CompactionMark(sample.Run.Service, sample.Date), keys.Latest(sample.Run.Service),
        };
        foreach (var key in derived.Append(keys.Record(sample.Run)).Append(keys.DatedPayload(sample.Run, sample.Date)))
        {
            Assert.True(ObjectKeyRules.IsValid(key), $"'{key}' must be accepted by every driver");
            Assert.True(key.StartsWith(keys.Root, StringComparison.Ordinal), $"'{key}' must live under the root '{keys.Root}'");
        }
        foreach (var key in derived)
        {
            Assert.False(keys.TryParseRun(key, out _), $"'{key}' is derived data and must not parse as a run");
        }
    });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property A_run_key_under_another_prefix_is_not_a_run_of_this_store() => Prop.ForAll(Runs, sample =>
    {
        var keys = new RecordKeys(sample.Prefix);
        var other = new RecordKeys(sample.Prefix + "/other");

        foreach (var key in new[] { other.Record(sample.Run), other.DatedPayload(sample.Run, sample.Date) })
        {
            Assert.False(keys.TryParseRun(key, out _), $"'{key}' belongs to the store rooted at '{other.Root}', not '{keys.Root}'");
            Assert.True(other.TryParseRun(key, out var run) && run == sample.Run, $"'{key}' must parse in its own store");
        }
    });

    [Property(Replay = Generators.Seed, MaxTest = 300)]
    public Property A_key_with_an_identifier_outside_the_grammar_never_parses_as_a_run() => Prop.ForAll(
        Arb.From(from sample in Runs.Generator
                 from bad in Generators.NearIdentifier.Where(value => IdentifierGrammar.Explain("run_id", value) is not null && !value.Contains('/'))
                 select (sample, bad)),
        input =>
        {
            var keys = new RecordKeys(input.sample.Prefix);
            var service = keys.Root + $"org={input.sample.Run.Service.Organization}/project={input.sample.Run.Service.Project}/" +
                          $"service={input.sample.Run.Service.Service}/";

            foreach (var key in new[] { service + $"runs/run={input.bad}.json", service + $"date={RecordKeys.FormatDate(input.sample.Date)}/run={input.bad}/payload.json" })
            {
                Assert.False(keys.TryParseRun(key, out _), $"'{key}' names a run outside the grammar and must not be read as a record");
            }
        });
}
