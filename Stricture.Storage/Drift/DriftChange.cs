namespace Stricture.Storage.Drift;

/// <summary>One change of a lineage-diff, reduced to what listings show: the field, the kind of change, its severity and message.</summary>
public sealed record DriftChange(string FieldId, string ChangeType, string Severity, string Message, bool Overridden);
