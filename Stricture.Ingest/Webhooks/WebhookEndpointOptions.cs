using System.Net;
using System.Reflection;
using Stricture.Storage.Drift;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// One webhook (STRICTURE_SERVER_WEBHOOKS__&lt;name&gt;__*): where runs whose drift reaches its threshold
/// are posted, and how. Every key binds as text and is checked by <see cref="WebhookOptionsValidator"/>:
/// a value the binder could not convert would drop the whole webhook silently. No derived property
/// shares a name with a key, for the same reason.
/// </summary>
public sealed class WebhookEndpointOptions
{
    public const string UrlSetting = "URL";
    public const string SecretSetting = "SECRET";
    public const string MinSeveritySetting = "MIN_SEVERITY";
    public const string OrganizationSetting = "ORGANIZATION";
    public const string ProjectSetting = "PROJECT";
    public const string FormatSetting = "FORMAT";
    public const string AllowPlainHttpSetting = "ALLOW_PLAIN_HTTP";

    public const string JsonFormat = "json";
    public const string SlackFormat = "slack";

    public static readonly IReadOnlyList<string> Formats = [JsonFormat, SlackFormat];

    /// <summary>The keys a webhook's section may set: the configuration names of its properties.</summary>
    public static readonly IReadOnlyList<string> Settings = typeof(WebhookEndpointOptions).GetProperties()
        .Select(property => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
        .OfType<string>()
        .ToList();

    /// <summary>The section's name, lowercased: it names the webhook in deliveries, audit events and metrics.</summary>
    public string Name { get; internal set; } = "";

    [ConfigurationKeyName(UrlSetting)]
    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key of X-Stricture-Signature-256. Never logged, audited or stored.</summary>
    [ConfigurationKeyName(SecretSetting)]
    public string? Secret { get; set; }

    [ConfigurationKeyName(MinSeveritySetting)]
    public string MinSeverityName { get; set; } = DriftSeverity.High;

    /// <summary>Only runs of this organization, when set.</summary>
    [ConfigurationKeyName(OrganizationSetting)]
    public string? Organization { get; set; }

    /// <summary>Only runs of this project, when set.</summary>
    [ConfigurationKeyName(ProjectSetting)]
    public string? Project { get; set; }

    [ConfigurationKeyName(FormatSetting)]
    public string FormatName { get; set; } = JsonFormat;

    /// <summary>"true" lets the URL be plain http to a host that is not loopback (traffic in clear: only inside a trusted network).</summary>
    [ConfigurationKeyName(AllowPlainHttpSetting)]
    public string? AllowPlainHttpText { get; set; }

    public string MinSeverity => MinSeverityName.ToLowerInvariant();

    public string Format => FormatName.ToLowerInvariant();

    public Uri? Target => Uri.TryCreate(Url, UriKind.Absolute, out var url) ? url : null;

    public bool AllowsPlainHttp => bool.TryParse(AllowPlainHttpText, out var allowed) && allowed;

    public string Setting(string key) => WebhookOptions.EndpointSetting(Name, key);

    /// <summary>Whether a run of <paramref name="organization"/>/<paramref name="project"/> with this drift is posted here.</summary>
    public bool Wants(string organization, string project, DriftSummary drift) =>
        (Organization is null || string.Equals(Organization, organization, StringComparison.Ordinal)) &&
        (Project is null || string.Equals(Project, project, StringComparison.Ordinal)) &&
        drift.Reaches(MinSeverity);

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
