namespace Stricture.Ingest.Configuration;

public sealed class AuditOptions
{
    /// <summary>The JSON-lines audit file; defaults to audit/audit.jsonl under the data directory.</summary>
    public string FilePath { get; set; } = "";
}
