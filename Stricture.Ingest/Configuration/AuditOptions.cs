namespace Stricture.Ingest.Configuration;

public sealed class AuditOptions
{
    /// <summary>
    /// The JSON-lines audit file; defaults to audit/audit.jsonl under the data directory. Empty: the
    /// structured log only (function mode's default).
    /// </summary>
    public string FilePath { get; set; } = "";
}
