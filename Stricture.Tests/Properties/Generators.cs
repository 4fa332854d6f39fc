using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Stricture.Storage.Catalog;
using Stricture.Storage.Identity;
using Stricture.Storage.Time;

namespace Stricture.Tests.Properties;

/// <summary>
/// Generators for the property tests: identifiers from the documented grammar, strings that break
/// it, dates, key prefixes, manifest entries and JSON values. Every property runs with a fixed
/// replay seed (<see cref="Seed"/>) and a bounded count, so the suite is deterministic and fast.
/// </summary>
internal static class Generators
{
    /// <summary>The replay seed of every property ("(seed,gamma)"; gamma must be odd).</summary>
    public const string Seed = "(20261205,1000003)";

    private const string FirstCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string GrammarCharacters = FirstCharacters + "._-";

    /// <summary>Valid identifiers: mostly short, sometimes at the maximum length.</summary>
    public static Gen<string> Identifier { get; } =
        Gen.Frequency(
                (9, Gen.Choose(1, 24)),
                (1, Gen.Choose(IdentifierGrammar.MaxLength - 2, IdentifierGrammar.MaxLength)))
            .SelectMany(length => Gen.Elements(FirstCharacters.ToCharArray())
                .SelectMany(first => Gen.Elements(GrammarCharacters.ToCharArray()).ArrayOf(length - 1)
                    .Select(rest => first + new string(rest))))
            .Where(value => value != IdentifierGrammar.ReservedRunId);

    /// <summary>
    /// Strings near the grammar: valid characters mixed with the ones people actually send by
    /// mistake (upper case, '/', spaces, dots first, non-ASCII look-alikes, control characters).
    /// </summary>
    public static Gen<string> NearIdentifier { get; } =
        Gen.Elements((GrammarCharacters + "ABCXYZ/\\ .:=%+\t\n\0\"'éİıß\u00a0\u200b\u0430\ud83d\ude00").ToCharArray())
            .ArrayOf()
            .Select(characters => new string(characters));

    public static Gen<DateOnly> Date { get; } =
        Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber);

    /// <summary>Object prefixes as operators configure them: empty, nested, with stray slashes.</summary>
    public static Gen<string> Prefix { get; } =
        Gen.Elements(FirstCharacters.ToCharArray()).NonEmptyListOf().Select(c => new string([.. c]))
            .ListOf()
            .SelectMany(segments => Gen.Elements("", "/").Two()
                .Select(slashes => slashes.Item1 + string.Join('/', segments) + slashes.Item2));

    public static Gen<ServiceIdentity> Service { get; } =
        Identifier.Three().Select(parts => ServiceIdentity.Create(parts.Item1, parts.Item2, parts.Item3));

    /// <summary>An instant between 2000 and 2099, to the tick, as the server formats it.</summary>
    public static Gen<string> Timestamp { get; } =
        Gen.Choose(0, 36_500).SelectMany(day => Gen.Choose(0, int.MaxValue).Select(ticks =>
            UtcTimestamp.Format(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddTicks(ticks % TimeSpan.TicksPerDay))));

    /// <summary>
    /// Manifest entries with distinct run ids: a manifest entry is derived from its run's payload,
    /// so one run id always has one entry, whoever merges it.
    /// </summary>
    public static Gen<ManifestEntry[]> DistinctEntries { get; } =
        Identifier.ListOf().Select(ids => ids.Distinct(StringComparer.Ordinal).ToArray())
            .SelectMany(ids => Gen.CollectToArray(ids, Entry));

    private static Gen<ManifestEntry> Entry(string runId) =>
        from receivedAt in Timestamp
        from generatedAt in Gen.OneOf(Gen.Constant<string?>(null), Timestamp.Select(t => (string?)t))
        from size in Gen.Choose(2, int.MaxValue)
        from commit in Gen.Elements<string?>(null, "0123abc", "d3adb33fd3adb33fd3adb33fd3adb33fd3adb33f")
        select new ManifestEntry(
            runId, $"v1/org=o/project=p/service=s/date={receivedAt[..10]}/run={runId}/payload.json",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId))),
            size, receivedAt, generatedAt, commit);

    /// <summary>A JSON value with object member names unique within each object, and a seed for how it is formatted.</summary>
    public static Gen<(JsonValueModel Value, int Formatting)> FormattedJson =>
        JsonObject(3).Zip(Gen.Choose(0, int.MaxValue), (value, formatting) => (value, formatting));

    public static Gen<JsonValueModel> JsonObject(int depth) =>
        from names in JsonText.ListOf().Select(n => n.Distinct(StringComparer.Ordinal).Take(6).ToArray())
        from values in Gen.CollectToArray(names, _ => JsonValue(depth - 1))
        select (JsonValueModel)new JsonValueModel.Object([.. names.Zip(values)]);

    private static Gen<JsonValueModel> JsonValue(int depth)
    {
        var leaf = Gen.OneOf(
            JsonText.Select(text => (JsonValueModel)new JsonValueModel.String(text)),
            JsonNumber.Select(number => (JsonValueModel)new JsonValueModel.Number(number)),
            Gen.Elements<JsonValueModel>(new JsonValueModel.Literal("true"), new JsonValueModel.Literal("false"), new JsonValueModel.Literal("null")));
        if (depth <= 0)
        {
            return leaf;
        }
        return Gen.Frequency(
            (4, leaf),
            (1, JsonObject(depth)),
            (1, Gen.Sized(size => JsonValue(depth - 1).ArrayOf(Math.Min(size, 4))).Select(items => (JsonValueModel)new JsonValueModel.Array(items))));
    }

    /// <summary>Text with the characters JSON escapes, non-ASCII letters and a surrogate pair.</summary>
    private static Gen<string> JsonText =>
        Gen.Frequency(
                (6, Gen.Elements("abcxyz019 _-.:/".ToCharArray()).Select(c => c.ToString())),
                (2, Gen.Elements("\"\\\b\f\n\r\t\u0001\u001f\u007f<>&'+".ToCharArray()).Select(c => c.ToString())),
                (2, Gen.Elements("é", "ß", "中", "\u2028", "\u00a0", "\ud83d\ude00", "𝄞")))
            .ListOf()
            .Select(parts => string.Concat(parts));

    private static Gen<string> JsonNumber =>
        Gen.OneOf(
            Gen.Choose(-1_000_000, 1_000_000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Elements("0", "-0", "0.5", "1e3", "1E-7", "-12.5e+10", "123456789012345678901234567890", "3.14159265358979323846"));
}
