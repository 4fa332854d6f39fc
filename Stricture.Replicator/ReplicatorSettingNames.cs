namespace Stricture.Replicator;

/// <summary>The replicator's own settings; storage settings are the ingest server's STRICTURE_SERVER_* names.</summary>
public static class ReplicatorSettingNames
{
    /// <summary>Replication lag (seconds) beyond which /health reports Degraded.</summary>
    public const string MaxLagSeconds = "STRICTURE_REPLICATOR_MAX_LAG_SECONDS";

    /// <summary>Minutes between catch-up scans that spool again any local run the bucket lacks.</summary>
    public const string CatchUpMinutes = "STRICTURE_REPLICATOR_CATCH_UP_MINUTES";

    /// <summary>Where the health endpoints listen when no ASP.NET Core URL setting is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8086";
}
