using Microsoft.Extensions.Options;
using Stricture.Storage.Configuration;

namespace Stricture.Replicator;

/// <summary>The replicator's own settings; its storage settings are the ingest server's STRICTURE_SERVER_* names.</summary>
public sealed class ReplicatorOptions
{
    public const string MaxLagSetting = "STRICTURE_REPLICATOR_MAX_LAG_SECONDS";
    public const string CatchUpSetting = "STRICTURE_REPLICATOR_CATCH_UP_MINUTES";

    /// <summary>Where the health endpoints listen when no ASP.NET Core URL setting is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8086";

    /// <summary>Replication lag beyond which /health reports Degraded.</summary>
    [ConfigurationKeyName(MaxLagSetting)]
    [SettingRange(1, 86_400)]
    public int MaxLagSeconds { get; set; } = 300;

    public TimeSpan MaxLag => TimeSpan.FromSeconds(MaxLagSeconds);

    /// <summary>Time between catch-up scans that spool again any local run the bucket lacks.</summary>
    [ConfigurationKeyName(CatchUpSetting)]
    [SettingRange(1, 10_080)]
    public int CatchUpMinutes { get; set; } = 60;

    public TimeSpan CatchUpInterval => TimeSpan.FromMinutes(CatchUpMinutes);
}

/// <summary>The ranges declared on <see cref="ReplicatorOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ReplicatorOptionsRanges : IValidateOptions<ReplicatorOptions>;
