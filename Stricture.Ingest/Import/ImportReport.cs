namespace Stricture.Ingest.Import;

/// <summary>
/// What an import did, run by run: <see cref="Imported"/> stored now, <see cref="AlreadyPresent"/>
/// stored before (an earlier import: same run id, same content, same received_at), <see cref="Renamed"/>
/// the runs (among those) whose identifiers were renamed, <see cref="Skipped"/> the files not imported and why.
/// </summary>
internal sealed class ImportReport
{
    public int Imported { get; set; }

    public int AlreadyPresent { get; set; }

    public List<(string File, IReadOnlyList<IdentifierRename> Renames)> Renamed { get; } = [];

    public List<(string File, string Reason)> Skipped { get; } = [];

    public int Total => Imported + AlreadyPresent + Skipped.Count;
}
