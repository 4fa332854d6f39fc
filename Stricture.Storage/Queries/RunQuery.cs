namespace Stricture.Storage.Queries;

/// <summary>
/// A page request for one service's runs: the days of the date partition from <see cref="From"/>
/// to <see cref="To"/> (inclusive), optionally only runs whose commit_sha starts with
/// <see cref="CommitPrefix"/>, newest first, at most <see cref="Limit"/>, after <see cref="Cursor"/>.
/// With <see cref="AllHistory"/> (a commit and no dates were asked for) the days are ignored: the
/// runs of the commit come from the commit index, over all of the service's history.
/// </summary>
public sealed record RunQuery(DateOnly From, DateOnly To, string? CommitPrefix, int Limit, RunCursor? Cursor)
{
    public bool AllHistory { get; init; }

    /// <summary>The widest range one query may span. A query reads one manifest per day, so this bounds its cost.</summary>
    public const int MaxDays = 92;

    /// <summary>The range when none is given: the last seven days, today included.</summary>
    public const int DefaultDays = 7;

    public const int MaxLimit = 1000;

    public const int DefaultLimit = 100;
}

/// <summary>One page of runs, newest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record RunPage(IReadOnlyList<Catalog.ManifestEntry> Runs, RunCursor? Next);
