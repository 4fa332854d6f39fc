using System.Text.Json;
using Stricture.Storage.Drift;
using Stricture.Storage.Identity;

namespace Stricture.Storage.BlastRadius;

/// <summary>
/// Classifies each change of a run's lineage-diff against the blast-radius index, before the run's
/// own export is indexed (so "the service's previous export" is what the index holds for it).
/// <para>
/// <b>The impacted system</b> of a change is its <c>impact.service</c> (upstream's diff names the
/// producing system there); without one, the system that publishes <c>field_id</c> in the posted
/// export, else in the service's previously indexed export (a removed field is only there). The
/// changed field's path (<c>field</c>) comes from the same place.
/// </para>
/// <para>
/// <b>Matching</b> is by system, narrowed to the field when the consumer's source names one: a
/// source's reference is its <c>path</c>, else the member of its <c>target</c> after the system's
/// name. No reference: the consumer depends on the whole system and every change of it reaches it.
/// A reference that is the changed field's path or id: it reaches it. A reference that names another
/// field the system publishes: it does not. A reference that names no field the system is known to
/// publish (an operation name, a path the producer does not export): it is kept, since an unresolved
/// dependency is safer over-reported than missed.
/// </para>
/// <para>
/// <b>Scope</b>: <c>downstream</c> when a field of another service matches; otherwise
/// <c>self_only</c> when some known service (the poster included) publishes the system; otherwise
/// <c>unknown</c> (an external system, one no Stricture service publishes, or no system at all).
/// </para>
/// Reads: one listing and the entries of each distinct system the changes name, the latest pointer
/// of each impacted service (its run), plus, only when a change's field is not in the posted export,
/// the service's own previous entries.
/// </summary>
public sealed class ImpactClassifier(BlastRadiusIndex index)
{
    public async Task<(RunImpact Impact, IReadOnlyList<ClassifiedChange> Changes)> ClassifyAsync(
        ServiceIdentity service, LineageExport export, JsonElement diff, CancellationToken cancellationToken)
    {
        var changes = ReadChanges(diff);
        IReadOnlyList<SystemEntry>? previous = null;
        var systems = new Dictionary<string, IReadOnlyList<SystemEntry>>(StringComparer.Ordinal);
        var classified = new List<ClassifiedChange>(changes.Count);
        var impacted = new SortedDictionary<(string Project, string Service), SortedSet<ImpactedField>>();

        foreach (var change in changes)
        {
            var (system, path) = (change.ImpactService, "");
            if (export.Publisher(change.FieldId) is { } published && (system is null || system == published.System))
            {
                (system, path) = (published.System, published.Field.Field);
            }
            else
            {
                previous ??= await index.ReadServiceAsync(service, cancellationToken);
                var earlier = previous.SelectMany(entry => entry.Publishes.Select(field => (entry.System, Field: field)))
                    .FirstOrDefault(pair => pair.Field.FieldId == change.FieldId && (system is null || system == pair.System));
                if (earlier.Field is not null)
                {
                    (system, path) = (earlier.System, earlier.Field.Field);
                }
            }
            if (system is null)
            {
                classified.Add(change.Classify(null, ImpactScope.Unknown, 0));
                continue;
            }
            if (!systems.TryGetValue(system, out var entries))
            {
                systems[system] = entries = await index.ReadSystemAsync(service.Organization, system, cancellationToken);
            }
            var changed = new PublishedField(change.FieldId, path);
            var knownFields = entries.SelectMany(entry => entry.Publishes)
                .Concat(export.Published.GetValueOrDefault(system) ?? []).Append(changed).ToList();
            var reached = 0;
            foreach (var consumer in entries.Where(entry => entry.Consumes.Count > 0 && !(entry.Project == service.Project && entry.Service == service.Service)))
            {
                var fields = consumer.Consumes.Where(field => Reaches(field, changed, knownFields)).ToList();
                if (fields.Count == 0)
                {
                    continue;
                }
                reached++;
                var key = (consumer.Project, consumer.Service);
                if (!impacted.TryGetValue(key, out var found))
                {
                    impacted[key] = found = new SortedSet<ImpactedField>(ImpactedFieldOrder.Instance);
                }
                foreach (var field in fields)
                {
                    found.Add(new ImpactedField(field.FieldId, system, field.Target, field.Path, field.Owner, field.Escalation, change.FieldId));
                }
            }
            var isPublished = export.Published.ContainsKey(system) || entries.Any(entry => entry.Publishes.Count > 0);
            var scope = reached > 0 ? ImpactScope.Downstream : isPublished ? ImpactScope.SelfOnly : ImpactScope.Unknown;
            classified.Add(change.Classify(system, scope, reached));
        }

        // Each impacted service's run is its latest, whose export the index holds (entries carry no run).
        var listed = await Task.WhenAll(impacted.Take(RunImpact.ServicesLimit).Select(async pair =>
            new ImpactedService(pair.Key.Project, pair.Key.Service,
                await index.ReadLatestRunAsync(ServiceIdentity.Create(service.Organization, pair.Key.Project, pair.Key.Service), cancellationToken) ?? "",
                pair.Value.Take(RunImpact.FieldsPerServiceLimit).ToList())));
        var widest = classified.Count == 0 ? ImpactScope.None : classified.MaxBy(change => ImpactScope.Rank(change.Scope))!.Scope;
        var impact = new RunImpact(
            widest,
            classified.Count(change => change.Scope == ImpactScope.Downstream),
            classified.Count(change => change.Scope == ImpactScope.SelfOnly),
            classified.Count(change => change.Scope == ImpactScope.Unknown),
            listed,
            classified
                .OrderByDescending(change => ImpactScope.Rank(change.Scope))
                .ThenByDescending(change => DriftSeverity.Rank(change.Severity))
                .ThenBy(change => change.FieldId, StringComparer.Ordinal)
                .ThenBy(change => change.ChangeType, StringComparer.Ordinal)
                .Take(RunImpact.FirstChangesLimit)
                .ToList());
        return (impact, classified);
    }

    private static bool Reaches(ConsumingField consumer, PublishedField changed, IReadOnlyList<PublishedField> knownFields)
    {
        var reference = consumer.Reference;
        if (reference.Length == 0 || changed.IsNamedBy(reference))
        {
            return true;
        }
        return !knownFields.Any(field => field.IsNamedBy(reference));
    }

    /// <summary>The diff's changes in upstream's order (severity descending, then field, then change type), so a retry classifies the same list.</summary>
    private static List<DiffChange> ReadChanges(JsonElement diff)
    {
        var changes = new List<DiffChange>();
        if (diff.ValueKind != JsonValueKind.Object || !diff.TryGetProperty("changes", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return changes;
        }
        foreach (var item in items.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object))
        {
            var impactService = item.TryGetProperty("impact", out var impact) && impact.ValueKind == JsonValueKind.Object ? Text(impact, "service").Trim() : "";
            var severity = Text(item, "severity");
            changes.Add(new DiffChange(
                Text(item, "field_id"), Text(item, "change_type"), severity.Length == 0 ? DriftSummary.Unspecified : severity,
                item.TryGetProperty("overridden", out var flag) && flag.ValueKind == JsonValueKind.True,
                impactService.Length == 0 ? null : impactService));
        }
        return changes
            .OrderByDescending(change => DriftSeverity.Rank(change.Severity))
            .ThenBy(change => change.FieldId, StringComparer.Ordinal)
            .ThenBy(change => change.ChangeType, StringComparer.Ordinal)
            .ToList();
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private sealed record DiffChange(string FieldId, string ChangeType, string Severity, bool Overridden, string? ImpactService)
    {
        public ClassifiedChange Classify(string? system, string scope, int consumers) =>
            new(FieldId, ChangeType, Severity, Overridden, system, scope, consumers);
    }

    private sealed class ImpactedFieldOrder : IComparer<ImpactedField>
    {
        public static readonly ImpactedFieldOrder Instance = new();

        public int Compare(ImpactedField? x, ImpactedField? y)
        {
            foreach (var (a, b) in new[] { (x!.FieldId, y!.FieldId), (x.System, y.System), (x.Target, y.Target), (x.Path, y.Path), (x.ChangedFieldId, y.ChangedFieldId) })
            {
                var compared = string.CompareOrdinal(a, b);
                if (compared != 0)
                {
                    return compared;
                }
            }
            return 0;
        }
    }
}
