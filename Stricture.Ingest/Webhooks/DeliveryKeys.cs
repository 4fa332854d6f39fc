using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Stricture.Storage.Keys;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// Where the webhook outbox lives, beside the records (same driver, same prefix) but outside the
/// records tree, so reconcile and replication never walk it:
/// <code>
/// &lt;prefix&gt;/webhooks/v1/outbox/date=&lt;D&gt;/delivery=&lt;id&gt;/delivery.json            enqueued before the 202
/// &lt;prefix&gt;/webhooks/v1/outbox/date=&lt;D&gt;/delivery=&lt;id&gt;/attempt=&lt;n&gt;.json            one process's claim of attempt n
/// &lt;prefix&gt;/webhooks/v1/outbox/date=&lt;D&gt;/delivery=&lt;id&gt;/attempt=&lt;n&gt;.&lt;outcome&gt;.json  what attempt n came to
/// &lt;prefix&gt;/webhooks/v1/outbox/date=&lt;T&gt;/late=&lt;id&gt;.json                           a delivery enqueued late, for day D
/// &lt;prefix&gt;/webhooks/v1/dead/delivery=&lt;id&gt;.json                                     a delivery that became a dead letter
/// &lt;prefix&gt;/webhooks/v1/checkpoint.json                                                the first day that may hold work
/// </code>
/// D is the UTC day of the run's received_at, which the run's claim fixes, so an identical retry,
/// whatever day it arrives, finds the same key. Every object but the checkpoint is created if
/// absent and never changed: whoever creates attempt n's claim owns attempt n, on every driver.
/// </summary>
public sealed partial class DeliveryKeys(RecordKeys records)
{
    /// <summary>The prefix every outbox key starts with (ends in '/').</summary>
    public string Root { get; } = records.Root[..^"v1/".Length] + "webhooks/v1/";

    /// <summary>A stable id for one run's delivery to one webhook: what receivers dedupe on.</summary>
    public static string DeliveryId(string webhook, string location) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{webhook}\n{location}")))[..32];

    public string Day(DateOnly day) => $"{Root}outbox/date={RecordKeys.FormatDate(day)}/";

    public string Delivery(DateOnly day, string id) => $"{Day(day)}delivery={id}/";

    public string Enqueued(DateOnly day, string id) => Delivery(day, id) + "delivery.json";

    public string Claim(DateOnly day, string id, int attempt) => Delivery(day, id) + $"attempt={Attempt(attempt)}.json";

    public string Outcome(DateOnly day, string id, int attempt, string outcome) => Delivery(day, id) + $"attempt={Attempt(attempt)}.{outcome}.json";

    public string Late(DateOnly today, string id) => $"{Day(today)}late={id}.json";

    public string DeadPrefix => $"{Root}dead/";

    public string Dead(string id) => $"{DeadPrefix}delivery={id}.json";

    public string Checkpoint => $"{Root}checkpoint.json";

    /// <summary>What one key of a day's listing is.</summary>
    public OutboxKey? Parse(string key)
    {
        var match = OutboxKeyPattern().Match(key);
        if (!match.Success || !key.StartsWith(Root, StringComparison.Ordinal) ||
            !DateOnly.TryParseExact(match.Groups["date"].ValueSpan, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }
        if (match.Groups["late"].Success)
        {
            return new OutboxKey(day, match.Groups["late"].Value, OutboxKeyKind.Late, 0, null);
        }
        var id = match.Groups["id"].Value;
        if (!match.Groups["attempt"].Success)
        {
            return new OutboxKey(day, id, OutboxKeyKind.Enqueued, 0, null);
        }
        var attempt = int.Parse(match.Groups["attempt"].ValueSpan, CultureInfo.InvariantCulture);
        return match.Groups["outcome"].Success
            ? new OutboxKey(day, id, OutboxKeyKind.Outcome, attempt, match.Groups["outcome"].Value)
            : new OutboxKey(day, id, OutboxKeyKind.Claim, attempt, null);
    }

    private static string Attempt(int attempt) => attempt.ToString("D4", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/outbox/date=(?<date>[0-9-]{10})/(late=(?<late>[0-9a-f]{32})\.json|delivery=(?<id>[0-9a-f]{32})/(delivery\.json|attempt=(?<attempt>[0-9]{4})(\.(?<outcome>[a-z]+))?\.json))\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex OutboxKeyPattern();
}

public enum OutboxKeyKind
{
    Enqueued,
    Claim,
    Outcome,
    Late,
}

/// <summary>One outbox key, parsed: a late pointer's <see cref="Day"/> is the day it was written in.</summary>
public sealed record OutboxKey(DateOnly Day, string DeliveryId, OutboxKeyKind Kind, int Attempt, string? Outcome);
