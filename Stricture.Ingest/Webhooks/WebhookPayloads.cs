using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Stricture.Storage.BlastRadius;

namespace Stricture.Ingest.Webhooks;

/// <summary>
/// The bodies a delivery is posted as, rendered from the enqueued delivery alone, so every attempt
/// of one delivery sends the same bytes. json: the run, its drift, its blast radius and gate, and a link, for programs. slack:
/// an incoming-webhook message with the counts, the first changes and the link, for people.
/// </summary>
internal sealed class WebhookPayloads(IOptions<WebhookOptions> options)
{
    public const string Event = "run.drift";

    /// <summary>How many changes a Slack message lists; the json payload carries all the delivery kept (up to 20).</summary>
    public const int SlackChanges = 10;

    public byte[] Render(string format, WebhookDelivery delivery) =>
        format == WebhookEndpointOptions.SlackFormat ? Slack(delivery) : Json(delivery);

    /// <summary>Where the run can be read: the server's public address when configured, else the path.</summary>
    public string Link(WebhookDelivery delivery) =>
        (options.Value.PublicUrl?.TrimEnd('/') ?? "") + $"/v1/runs/{delivery.Organization}/{delivery.Project}/{delivery.Service}/{delivery.RunId}";

    private byte[] Json(WebhookDelivery delivery)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", Event);
            json.WriteString("delivery_id", delivery.DeliveryId);
            json.WriteString("webhook", delivery.Webhook);
            json.WriteStartObject("run");
            json.WriteString("organization", delivery.Organization);
            json.WriteString("project", delivery.Project);
            json.WriteString("service", delivery.Service);
            json.WriteString("run_id", delivery.RunId);
            WriteOptional(json, "commit_sha", delivery.CommitSha);
            WriteOptional(json, "generated_at", delivery.GeneratedAt);
            json.WriteString("received_at", delivery.ReceivedAt);
            json.WriteString("location", delivery.Location);
            json.WriteEndObject();
            var drift = delivery.Drift;
            json.WriteStartObject("drift");
            json.WriteNumber("total", drift.Total);
            json.WriteNumber("high", drift.High);
            json.WriteNumber("medium", drift.Medium);
            json.WriteNumber("low", drift.Low);
            json.WriteNumber("info", drift.Info);
            json.WriteStartObject("unrecognized");
            foreach (var (severity, count) in drift.Unrecognized.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(severity, count);
            }
            json.WriteEndObject();
            json.WriteString("min_severity", drift.MinSeverity);
            json.WriteStartArray("first_changes");
            foreach (var change in drift.FirstChanges)
            {
                json.WriteStartObject();
                json.WriteString("field_id", change.FieldId);
                json.WriteString("change_type", change.ChangeType);
                json.WriteString("severity", change.Severity);
                json.WriteString("message", change.Message);
                json.WriteBoolean("overridden", change.Overridden);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            WriteImpact(json, delivery);
            json.WriteString("link", Link(delivery));
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The finding contract of upstream's spec ("blast radius, owner, escalation path"): the run's
    /// impact scope and the services it reaches, each consuming field with its owner and escalation,
    /// and the gate's decision with its reasons.
    /// </summary>
    private static void WriteImpact(Utf8JsonWriter json, WebhookDelivery delivery)
    {
        if (delivery.Impact is { } impact)
        {
            json.WriteStartObject("impact");
            json.WriteString("scope", impact.Scope);
            json.WriteNumber("downstream", impact.Downstream);
            json.WriteNumber("self_only", impact.SelfOnly);
            json.WriteNumber("unknown", impact.Unknown);
            json.WriteStartArray("services");
            foreach (var service in impact.Services)
            {
                json.WriteStartObject();
                json.WriteString("project", service.Project);
                json.WriteString("service", service.Service);
                json.WriteStartArray("fields");
                foreach (var field in service.Fields)
                {
                    json.WriteStartObject();
                    json.WriteString("field_id", field.FieldId);
                    json.WriteString("system", field.System);
                    json.WriteString("changed_field_id", field.ChangedFieldId);
                    json.WriteString("owner", field.Owner);
                    json.WriteString("escalation", field.Escalation);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (delivery.Gate is { } gate)
        {
            json.WriteStartObject("gate");
            json.WriteString("decision", gate.Decision);
            json.WriteStartArray("reasons");
            foreach (var reason in gate.Reasons)
            {
                json.WriteStringValue(reason);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>One line per impacted service, with the escalations of its consuming fields, for people.</summary>
    private static string BlastRadiusText(RunImpact impact)
    {
        var text = new StringBuilder($"*Blast radius: {Escape(impact.Scope)}*");
        foreach (var service in impact.Services.Take(SlackChanges))
        {
            var escalations = service.Fields.Select(field => field.Escalation).Where(escalation => escalation.Length > 0).Distinct(StringComparer.Ordinal);
            text.Append(CultureInfo.InvariantCulture, $"\n• {Escape(service.Project)}/{Escape(service.Service)}: escalate to {Escape(string.Join(", ", escalations))}");
        }
        return text.ToString();
    }

    private byte[] Slack(WebhookDelivery delivery)
    {
        var drift = delivery.Drift;
        var run = $"{delivery.Organization}/{delivery.Project}/{delivery.Service} run {delivery.RunId}";
        var counts = string.Create(CultureInfo.InvariantCulture,
            $"high {drift.High} · medium {drift.Medium} · low {drift.Low} · info {drift.Info} · total {drift.Total}");
        var text = $"Lineage drift at or above {drift.MinSeverity} in {run}: {counts}";
        var changes = new StringBuilder();
        foreach (var change in drift.FirstChanges.Take(SlackChanges))
        {
            changes.Append(CultureInfo.InvariantCulture, $"• *{Escape(change.Severity)}* `{Escape(change.FieldId)}` {Escape(change.ChangeType)}: {Escape(change.Message)}\n");
        }
        if (drift.FirstChanges.Count > SlackChanges)
        {
            changes.Append(CultureInfo.InvariantCulture, $"… and {drift.FirstChanges.Count - SlackChanges} more at or above {drift.MinSeverity}\n");
        }
        var link = Link(delivery);

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteStartArray("blocks");
            Section(json, $"*Lineage drift* in *{Escape(run)}*" + (delivery.CommitSha is { } commit ? $" (commit `{Escape(commit[..Math.Min(12, commit.Length)])}`)" : ""));
            Section(json, Escape(counts));
            if (changes.Length > 0)
            {
                // A section's text is limited to 3,000 characters.
                Section(json, changes.Length > 2_900 ? changes.ToString(0, 2_900) + "…" : changes.ToString().TrimEnd('\n'));
            }
            if (delivery.Impact is { Scope: not ImpactScope.None } impact)
            {
                Section(json, BlastRadiusText(impact));
            }
            Section(json, link.StartsWith("http", StringComparison.Ordinal) ? $"<{link}|Open the run>" : $"Run: `{Escape(link)}`");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Section(Utf8JsonWriter json, string markdown)
    {
        json.WriteStartObject();
        json.WriteString("type", "section");
        json.WriteStartObject("text");
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", markdown);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Slack's mrkdwn reserves &amp;, &lt; and &gt;.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
