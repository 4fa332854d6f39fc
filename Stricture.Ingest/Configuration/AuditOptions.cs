namespace Stricture.Ingest.Configuration;

public sealed class AuditOptions
{
    public const string FileSetting = "STRICTURE_SERVER_AUDIT_FILE";

    /// <summary>
    /// The JSON-lines audit file; when unset, audit/audit.jsonl under the data directory, except in
    /// function mode, whose instance disk is temporary. Empty: the structured log only.
    /// </summary>
    [ConfigurationKeyName(FileSetting)]
    public string? FilePath { get; set; }
}
