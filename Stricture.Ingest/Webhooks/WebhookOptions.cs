using Stricture.Storage.Configuration;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// The webhooks (one section each) and how deliveries are made. The defaults suit production: a
/// first retry after 10 s, doubling to at most an hour, for 24 hours. Tests shorten them.
/// </summary>
public sealed class WebhookOptions
{
    public const string WebhooksSetting = "STRICTURE_SERVER_WEBHOOKS";
    public const string PublicUrlSetting = "STRICTURE_SERVER_PUBLIC_URL";
    public const string TimeoutSetting = "STRICTURE_SERVER_WEBHOOK_TIMEOUT_SECONDS";
    public const string FirstRetryDelaySetting = "STRICTURE_SERVER_WEBHOOK_RETRY_FIRST_DELAY_MS";
    public const string MaxRetryDelaySetting = "STRICTURE_SERVER_WEBHOOK_RETRY_MAX_DELAY_SECONDS";
    public const string RetryForSetting = "STRICTURE_SERVER_WEBHOOK_RETRY_FOR_SECONDS";
    public const string LeaseSetting = "STRICTURE_SERVER_WEBHOOK_LEASE_SECONDS";
    public const string PollSetting = "STRICTURE_SERVER_WEBHOOK_POLL_MS";
    public const string DispatchSetting = "STRICTURE_SERVER_WEBHOOK_DISPATCH";

    /// <summary>How messages name one webhook's setting: as the environment variable an operator sets.</summary>
    public static string EndpointSetting(string webhook, string key) => $"{WebhooksSetting}__{webhook}__{key}";

    [ConfigurationKeyName(WebhooksSetting)]
    public Dictionary<string, WebhookEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The server's address as receivers reach it, for the link to the run; unset: the link is a path.</summary>
    [ConfigurationKeyName(PublicUrlSetting)]
    public string? PublicUrl { get; set; }

    /// <summary>How long one POST may take before it counts as failed (and is retried).</summary>
    [ConfigurationKeyName(TimeoutSetting)]
    [SettingRange(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    [ConfigurationKeyName(FirstRetryDelaySetting)]
    [SettingRange(10, 3_600_000)]
    public int FirstRetryDelayMilliseconds { get; set; } = 10_000;

    [ConfigurationKeyName(MaxRetryDelaySetting)]
    [SettingRange(1, 86_400)]
    public int MaxRetryDelaySeconds { get; set; } = 3_600;

    /// <summary>How long after it was enqueued a delivery is retried before it becomes a dead letter.</summary>
    [ConfigurationKeyName(RetryForSetting)]
    [SettingRange(1, 7 * 86_400)]
    public int RetryForSeconds { get; set; } = 86_400;

    /// <summary>
    /// How long a process's claim on an attempt holds before another process may take the delivery
    /// over: longer than the timeout, so only a crashed (or frozen) process is ever taken over.
    /// </summary>
    [ConfigurationKeyName(LeaseSetting)]
    [SettingRange(2, 3_600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often a dispatching server looks for due deliveries (it also wakes at once on its own enqueues).</summary>
    [ConfigurationKeyName(PollSetting)]
    [SettingRange(50, 600_000)]
    public int PollMilliseconds { get; set; } = 5_000;

    /// <summary>Whether this server process delivers (function mode never does: the webhooks deliver command does).</summary>
    [ConfigurationKeyName(DispatchSetting)]
    public bool Dispatch { get; set; } = true;

    public IReadOnlyList<WebhookEndpointOptions> Webhooks => [.. Endpoints.Values];

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    public TimeSpan FirstRetryDelay => TimeSpan.FromMilliseconds(FirstRetryDelayMilliseconds);
    public TimeSpan MaxRetryDelay => TimeSpan.FromSeconds(MaxRetryDelaySeconds);
    public TimeSpan RetryFor => TimeSpan.FromSeconds(RetryForSeconds);
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(PollMilliseconds);

    public WebhookEndpointOptions? Find(string name) => Endpoints.Values.FirstOrDefault(endpoint => endpoint.Name == name);
}
