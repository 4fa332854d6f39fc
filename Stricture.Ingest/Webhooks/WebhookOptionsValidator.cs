using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;

namespace Stricture.Ingest.Webhooks;

/// <summary>The ranges declared on <see cref="WebhookOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class WebhookOptionsRanges : IValidateOptions<WebhookOptions>;

/// <summary>Start-up rules for the webhooks: every problem of every webhook, each naming its setting and what to set instead.</summary>
internal sealed partial class WebhookOptionsValidator(IConfiguration configuration) : IValidateOptions<WebhookOptions>
{
    public const int MinimumSecretLength = 16;

    private static readonly string SeverityList = string.Join(", ", DriftSeverity.Known.Select(severity => $"'{severity}'"));
    private static readonly string FormatList = string.Join(", ", WebhookEndpointOptions.Formats.Select(format => $"'{format}'"));

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = configuration.GetSection(WebhookOptions.WebhooksSetting).GetChildren()
            .SelectMany(section => section.GetChildren().Select(child => (Webhook: section.Key, child.Key)))
            .Where(setting => !WebhookEndpointOptions.Settings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
            .Select(setting => $"{WebhookOptions.EndpointSetting(setting.Webhook, setting.Key)} is not a setting of a webhook; " +
                               $"they are: {string.Join(", ", WebhookEndpointOptions.Settings)}.")
            .ToList();
        failures.AddRange(options.Webhooks.SelectMany(Validate));
        if (options.PublicUrl is { } publicUrl && !(Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"))
        {
            failures.Add($"{WebhookOptions.PublicUrlSetting} must be the server's absolute http(s) address, such as https://stricture.example.com, not '{publicUrl}'.");
        }
        if (options.LeaseSeconds <= options.TimeoutSeconds)
        {
            failures.Add($"{WebhookOptions.LeaseSetting} ({options.LeaseSeconds}) must be longer than {WebhookOptions.TimeoutSetting} ({options.TimeoutSeconds}): " +
                         "a delivery still in flight would otherwise be taken over, and sent twice, by another process.");
        }
        if (options.FirstRetryDelay > options.MaxRetryDelay)
        {
            failures.Add($"{WebhookOptions.FirstRetryDelaySetting} must not exceed {WebhookOptions.MaxRetryDelaySetting}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Validate(WebhookEndpointOptions webhook)
    {
        if (!WebhookName().IsMatch(webhook.Name))
        {
            yield return $"{WebhookOptions.WebhooksSetting}__{webhook.Name}: a webhook's name is 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.";
        }
        if (webhook.Url is null)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.UrlSetting)} is required: where runs with drift are posted, such as https://hooks.example.com/stricture.";
        }
        else if (webhook.Target is not { Scheme: "https" or "http" } url)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.UrlSetting)} must be an absolute https URL, not '{webhook.Url}'.";
        }
        else if (url.Scheme == "http" && !WebhookEndpointOptions.IsLoopback(url) && !webhook.AllowsPlainHttp)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.UrlSetting)} must be https, not '{url.GetLeftPart(UriPartial.Authority)}': the payload and its signature " +
                         $"would cross the network in clear. Use https, or, only inside a network you trust, set {webhook.Setting(WebhookEndpointOptions.AllowPlainHttpSetting)}=true.";
        }
        if (webhook.AllowPlainHttpText is { } allow && !bool.TryParse(allow, out _))
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.AllowPlainHttpSetting)} must be 'true' or 'false', not '{allow}'.";
        }
        if (webhook.Secret is null && webhook.Format == WebhookEndpointOptions.JsonFormat)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.SecretSetting)} is required for the json format, so receivers can check the signature: " +
                         "set it to a long random secret shared with the receiver, for example the output of 'openssl rand -hex 32'.";
        }
        else if (webhook.Secret is { Length: < MinimumSecretLength })
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.SecretSetting)} must be at least {MinimumSecretLength} characters long.";
        }
        if (!DriftSeverity.IsKnown(webhook.MinSeverity))
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.MinSeveritySetting)} must be one of {SeverityList}, not '{webhook.MinSeverityName}'.";
        }
        if (!WebhookEndpointOptions.Formats.Contains(webhook.Format))
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.FormatSetting)} must be one of {FormatList}, not '{webhook.FormatName}'.";
        }
        if (webhook.Organization is { } organization && IdentifierGrammar.Explain("organization", organization) is { } badOrganization)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.OrganizationSetting)}: {badOrganization}";
        }
        if (webhook.Project is { } project && IdentifierGrammar.Explain("project", project) is { } badProject)
        {
            yield return $"{webhook.Setting(WebhookEndpointOptions.ProjectSetting)}: {badProject}";
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex WebhookName();
}
