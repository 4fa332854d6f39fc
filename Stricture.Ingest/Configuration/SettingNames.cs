namespace Stricture.Ingest.Configuration;

/// <summary>
/// The configuration keys the services read. They are the spec's environment variable names,
/// used verbatim as configuration keys, so the same name works as an environment variable, a
/// command-line switch (--STRICTURE_SERVER_ADDR=...) or a key in appsettings.json. The storage
/// settings, which the replicator reads too, are in Stricture.Storage's StorageSettingNames.
/// </summary>
public static class SettingNames
{
    public const string Address = "STRICTURE_SERVER_ADDR";
    public const string AuthMode = "STRICTURE_SERVER_AUTH_MODE";
    public const string IngestToken = "STRICTURE_SERVER_INGEST_TOKEN";
    public const string IngestTokenSecondary = "STRICTURE_SERVER_INGEST_TOKEN_SECONDARY";
    public const string AllowInsecureNoAuth = "STRICTURE_SERVER_ALLOW_INSECURE_NO_AUTH";
    public const string MaxBodyBytes = "STRICTURE_SERVER_MAX_BODY_BYTES";
    public const string AuditFile = "STRICTURE_SERVER_AUDIT_FILE";
}
