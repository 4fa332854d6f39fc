using System.Text.Json.Nodes;
using Stricture.Ingest.Webhooks;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Webhooks;

/// <summary>Webhook settings as an operator sets them, with delays short enough for tests, and posts carrying lineage-diffs.</summary>
internal static class WebhookSetup
{
    public const string Secret = "webhook-secret-7f3a9c2e51d84b6a";
    public const string PublicUrl = "https://stricture.example.com";

    /// <summary>Polls every 100 ms, retries from 200 ms up to 1 s, and takes over a dead process's attempt after 3 s.</summary>
    public static Dictionary<string, string> Fast() => new()
    {
        [WebhookOptions.PollSetting] = "100",
        [WebhookOptions.FirstRetryDelaySetting] = "200",
        [WebhookOptions.MaxRetryDelaySetting] = "1",
        [WebhookOptions.TimeoutSetting] = "2",
        [WebhookOptions.LeaseSetting] = "3",
        [WebhookOptions.PublicUrlSetting] = PublicUrl,
    };

    public static Dictionary<string, string> With(this Dictionary<string, string> settings, string name, Uri url,
        string? minSeverity = null, string? format = null)
    {
        settings[WebhookOptions.EndpointSetting(name, WebhookEndpointOptions.UrlSetting)] = url.ToString();
        settings[WebhookOptions.EndpointSetting(name, WebhookEndpointOptions.SecretSetting)] = Secret;
        if (minSeverity is not null)
        {
            settings[WebhookOptions.EndpointSetting(name, WebhookEndpointOptions.MinSeveritySetting)] = minSeverity;
        }
        if (format is not null)
        {
            settings[WebhookOptions.EndpointSetting(name, WebhookEndpointOptions.FormatSetting)] = format;
        }
        return settings;
    }

    public static Dictionary<string, string> With(this Dictionary<string, string> settings, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Upstream's lineage-diff with 3 high, 2 medium, 1 low and 1 info change (Drift/Fixtures).</summary>
    public static JsonNode HighDiff() => JsonNode.Parse(File.ReadAllText(Repository.Path("Stricture.Tests", "Drift", "Fixtures", "diff-high.json")))!;

    /// <summary>A lineage-diff whose worst change is medium.</summary>
    public static JsonNode MediumDiff() => JsonNode.Parse("""
        {
          "summary": { "total": 2, "high": 0, "medium": 1, "low": 1, "info": 0 },
          "changes": [
            { "severity": "medium", "change_type": "enum_value_added", "field_id": "response_order_status", "message": "enum value 'refunded' added" },
            { "severity": "low", "change_type": "description_changed", "field_id": "response_order_id", "message": "description changed" }
          ]
        }
        """)!;

    public static JsonObject PostWithDiff(string runId, JsonNode diff)
    {
        var body = Posts.Valid(runId: runId);
        body["diff"] = diff;
        return body;
    }

    /// <summary>The outbox's files on a filesystem data directory (default prefix) whose names end in <paramref name="suffix"/>.</summary>
    public static IReadOnlyList<string> OutboxFiles(string dataDirectory, string suffix)
    {
        var outbox = Path.Combine(dataDirectory, "stricture", "webhooks", "v1", "outbox");
        return Directory.Exists(outbox)
            ? [.. Directory.EnumerateFiles(outbox, "*", SearchOption.AllDirectories).Where(file => file.EndsWith(suffix, StringComparison.Ordinal))]
            : [];
    }

    public static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout) => WaitUntilAsync(() => Task.FromResult(condition()), timeout);

    public static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }
}
