using Stricture.Storage.Discovery;

namespace Stricture.Ingest.Ui.Models;

/// <summary>One service on the organisation page: its latest run and its drift over the last days.</summary>
public sealed record ServiceRow(OrgRunEntry Latest, DriftSeries Drift, bool RecentHigh);

/// <summary>
/// What the organisation page shows: one page of the services a reader may see, those with a high
/// change in the last <see cref="OrgOverviewReader.RecentDays"/> days first, and the projects to filter by.
/// </summary>
public sealed record OrgOverview(
    string Organization, string? Project, IReadOnlyList<string> Projects, IReadOnlyList<ServiceRow> Services,
    int ServiceCount, int Page, int PageCount, DateOnly Today);
