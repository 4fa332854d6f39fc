using System.Text.Json.Nodes;

namespace Stricture.Tests.BlastRadius;

/// <summary>
/// Realistic lineage-exports and diffs in upstream's format (brennhill/stricture: fields[] with
/// source_system, owner, escalation and sources[] with kind, target, path, scope, upstream_system;
/// diff changes with impact.service and impact.api), for one organization:
/// <list type="bullet">
/// <item>the producer, commerce/core, publishes CommerceCore:api-service (cart total, cart currency,
/// tax code) and reads an event stream no Stricture service publishes;</item>
/// <item>storefront/gateway reads the cart total (its source names the path) and an external
/// vendor API (Shopify, scope external);</item>
/// <item>finance/ledger reads the cart currency (its source names the path).</item>
/// </list>
/// </summary>
public static class BlastRadiusScenario
{
    public const string Organization = "acme";
    public const string CoreSystem = "CommerceCore:api-service";
    public const string EventsSystem = "OrderEvents:stream-service";

    public static readonly (string Project, string Service) Core = ("commerce", "core");
    public static readonly (string Project, string Service) Gateway = ("storefront", "gateway");
    public static readonly (string Project, string Service) Ledger = ("finance", "ledger");

    public static JsonObject CoreExport(bool withCartTotal = true)
    {
        var fields = new JsonArray();
        if (withCartTotal)
        {
            fields.Add(Field("response_cart_total", "response.cart_total", CoreSystem, "team.core", "pagerduty:core-oncall",
                Source("event", "OrderEvents.CartUpdated", "payload.cart_total", "internal", EventsSystem)));
        }
        fields.Add(Field("response_cart_currency", "response.cart_currency", CoreSystem, "team.core", "pagerduty:core-oncall",
            Source("event", "OrderEvents.CartUpdated", "payload.currency", "internal", EventsSystem)));
        fields.Add(Field("response_tax_code", "response.tax_code", CoreSystem, "team.core", "pagerduty:core-oncall"));
        return Export(fields);
    }

    public static JsonObject GatewayExport() => Export(new JsonArray(
        Field("response_checkout_total", "response.checkout.total", "CommerceGateway:api-service", "team.storefront", "pagerduty:storefront-oncall",
            Source("api", "CommerceCore.GetCart", "response.cart_total", "cross_repo", CoreSystem)),
        Field("response_shipping_quote", "response.checkout.shipping_quote", "CommerceGateway:api-service", "team.storefront", "pagerduty:storefront-oncall",
            Source("api", "Shopify.GetShippingQuote", "response.quote", "external", "shopify:api-service"))));

    public static JsonObject LedgerExport(bool readsCore = true)
    {
        var sources = readsCore
            ? new[] { Source("api", "CommerceCore.GetCart", "response.cart_currency", "cross_repo", CoreSystem) }
            : new[] { Source("event", "Payments.Captured", "payload.currency", "cross_repo", "Payments:stream-service") };
        return Export(new JsonArray(Field("ledger_entry_currency", "ledger.entry.currency", "Ledger:batch-service", "team.finance", "slack:#finance-oncall", sources)));
    }

    /// <summary>An export in the other shape the server accepts (nodes and edges, no fields): it publishes and consumes nothing.</summary>
    public static JsonObject NodesOnlyExport() => new() { ["kind"] = "lineage-export", ["nodes"] = new JsonArray(1, 2, 3) };

    /// <summary>A change as upstream's compareField writes it: the impact names the producing system and the field.</summary>
    public static JsonObject Change(string severity, string changeType, string fieldId, string? impactSystem, string message = "changed") =>
        impactSystem is null
            ? new JsonObject { ["severity"] = severity, ["change_type"] = changeType, ["field_id"] = fieldId, ["message"] = message }
            : new JsonObject
            {
                ["severity"] = severity,
                ["change_type"] = changeType,
                ["field_id"] = fieldId,
                ["message"] = message,
                ["source"] = new JsonObject { ["service"] = impactSystem, ["api"] = fieldId },
                ["impact"] = new JsonObject { ["service"] = impactSystem, ["api"] = fieldId },
            };

    public static JsonObject Diff(params JsonObject[] changes)
    {
        var counts = new Dictionary<string, int> { ["high"] = 0, ["medium"] = 0, ["low"] = 0, ["info"] = 0 };
        foreach (var change in changes)
        {
            counts[change["severity"]!.GetValue<string>()]++;
        }
        return new JsonObject
        {
            ["summary"] = new JsonObject { ["total"] = changes.Length, ["high"] = counts["high"], ["medium"] = counts["medium"], ["low"] = counts["low"], ["info"] = counts["info"] },
            ["changes"] = new JsonArray([.. changes]),
        };
    }

    /// <summary>A post of one service's run, in the API's body shape.</summary>
    public static JsonObject Post((string Project, string Service) service, string runId, string generatedAt, JsonObject artifact, JsonObject? diff = null)
    {
        var body = new JsonObject
        {
            ["organization"] = Organization,
            ["project"] = service.Project,
            ["service"] = service.Service,
            ["run_id"] = runId,
            ["commit_sha"] = "0123456789abcdef0123456789abcdef01234567",
            ["generated_at"] = generatedAt,
            ["artifact"] = artifact,
        };
        if (diff is not null)
        {
            body["diff"] = diff;
        }
        return body;
    }

    private static JsonObject Export(JsonArray fields) => new() { ["schema_version"] = "1", ["fields"] = fields };

    private static JsonObject Field(string fieldId, string path, string system, string owner, string escalation, params JsonObject[] sources) => new()
    {
        ["annotation_schema_version"] = "1",
        ["field_id"] = fieldId,
        ["field"] = path,
        ["source_system"] = system,
        ["source_version"] = "v2026.11",
        ["min_supported_source_version"] = "v2026.01",
        ["transform_type"] = "passthrough",
        ["merge_strategy"] = "priority",
        ["break_policy"] = "strict",
        ["confidence"] = "declared",
        ["data_classification"] = "internal",
        ["owner"] = owner,
        ["escalation"] = escalation,
        ["contract_test_id"] = $"ci://contracts/{fieldId}",
        ["introduced_at"] = "2026-02-15",
        ["sources"] = new JsonArray([.. sources]),
        ["flow"] = "from @upstream mapped @self",
        ["note"] = "",
    };

    private static JsonObject Source(string kind, string target, string path, string scope, string upstreamSystem)
    {
        var source = new JsonObject
        {
            ["kind"] = kind,
            ["target"] = target,
            ["path"] = path,
            ["scope"] = scope,
            ["upstream_system"] = upstreamSystem,
            ["contract_ref"] = $"internal://{target}",
            ["raw"] = $"{kind}:{target}#{path}@{scope}?upstream_system={upstreamSystem}",
        };
        if (scope == "external")
        {
            source["provider_id"] = "shopify";
            source["as_of"] = "2026-02-10";
        }
        return source;
    }
}
