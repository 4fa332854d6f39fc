using System.Buffers;
using System.Text;
using Stricture.Storage.Drift;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Drift;

/// <summary>
/// The drift summary derived from a lineage-diff in upstream's format (brennhill/stricture,
/// internal/lineage/diff.go): counts by severity, which counts win, the first changes.
/// </summary>
public sealed class DriftSummaryTests
{
    private static DriftSummary Summarise(string json) => DriftSummary.FromDiff(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    private static DriftSummary Fixture(string name) => Summarise(File.ReadAllText(Repository.Path("Stricture.Tests", "Drift", "Fixtures", name)));

    [Fact]
    public void A_diff_from_the_lineage_tool_is_counted_by_severity_with_its_highest_changes_first()
    {
        var drift = Fixture("diff-high.json");

        Assert.Equal((7, 3, 2, 1, 1), (drift.Total, drift.High, drift.Medium, drift.Low, drift.Info));
        Assert.Equal(DriftSummary.FromChanges, drift.Basis);
        Assert.False(drift.SummaryDisagreed, "the fixture's summary matches its changes");
        Assert.Equal(1, drift.Overridden);
        Assert.Empty(drift.Unrecognized);
        Assert.Equal(
            ["source_system_changed", "field_removed", "classification_relaxed", "source_version_changed", "field_added", "owner_changed", "note_changed"],
            drift.FirstChanges.Select(change => change.ChangeType));
        Assert.Equal(("response_order_total", "high", "source_system changed from BillingAPI to LedgerAPI"),
            (drift.FirstChanges[0].FieldId, drift.FirstChanges[0].Severity, drift.FirstChanges[0].Message));
        Assert.True(drift.Reaches(DriftSeverity.High));
    }

    [Fact]
    public void A_diff_with_no_changes_is_all_zeros_and_reaches_no_severity()
    {
        var drift = Fixture("diff-none.json");

        Assert.Equal((0, 0, 0, 0, 0), (drift.Total, drift.High, drift.Medium, drift.Low, drift.Info));
        Assert.Empty(drift.FirstChanges);
        Assert.False(drift.Reaches(DriftSeverity.Info));
    }

    [Fact]
    public void A_diff_without_changes_is_counted_from_its_summary()
    {
        var drift = Fixture("diff-summary-only.json");

        Assert.Equal(DriftSummary.FromSummary, drift.Basis);
        Assert.Equal((5, 1, 0, 2, 1), (drift.Total, drift.High, drift.Medium, drift.Low, drift.Info));
        Assert.Equal(1, drift.Unrecognized[DriftSummary.Unspecified]);
        Assert.True(drift.Reaches(DriftSeverity.High));
    }

    [Fact]
    public void When_the_summary_disagrees_with_the_changes_the_changes_win_and_the_disagreement_is_flagged()
    {
        var drift = Summarise("""
            { "summary": { "total": 1, "high": 0, "medium": 0, "low": 1, "info": 0 },
              "changes": [ { "severity": "high", "change_type": "field_removed", "field_id": "a", "message": "gone" },
                           { "severity": "low", "change_type": "owner_changed", "field_id": "b", "message": "owner" } ] }
            """);

        Assert.Equal((2, 1, 1), (drift.Total, drift.High, drift.Low));
        Assert.True(drift.SummaryDisagreed);
        Assert.True(drift.Reaches(DriftSeverity.High), "a high change the summary hides still counts");
    }

    [Fact]
    public void Unknown_and_missing_severities_are_counted_apart_never_dropped()
    {
        var drift = Summarise("""
            { "changes": [ { "severity": "critical", "change_type": "x", "field_id": "a", "message": "m" },
                           { "severity": "critical", "change_type": "y", "field_id": "b", "message": "m" },
                           { "change_type": "z", "field_id": "c", "message": "m" },
                           { "severity": "medium", "change_type": "w", "field_id": "d", "message": "m" } ] }
            """);

        Assert.Equal(4, drift.Total);
        Assert.Equal(1, drift.Medium);
        Assert.Equal(2, drift.Unrecognized["critical"]);
        Assert.Equal(1, drift.Unrecognized[DriftSummary.Unspecified]);
        Assert.False(drift.Reaches(DriftSeverity.High), "an unknown severity is not ranked above medium");
        Assert.Equal("w", drift.FirstChanges[0].ChangeType);
    }

    [Fact]
    public void Only_the_first_twenty_changes_are_kept_whatever_the_size_of_the_diff()
    {
        var changes = string.Join(",", Enumerable.Range(0, 500).Select(i =>
            $$"""{ "severity": "{{(i % 50 == 0 ? "high" : "low")}}", "change_type": "field_added", "field_id": "f{{i:D3}}", "message": "m" }"""));
        var drift = Summarise($$"""{ "changes": [ {{changes}} ] }""");

        Assert.Equal(500, drift.Total);
        Assert.Equal(DriftSummary.FirstChangesLimit, drift.FirstChanges.Count);
        Assert.All(drift.FirstChanges.Take(10), change => Assert.Equal("high", change.Severity));
        Assert.Equal("f000", drift.FirstChanges[0].FieldId);
    }
}
