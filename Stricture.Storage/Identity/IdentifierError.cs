namespace Stricture.Storage.Identity;

/// <summary>Why a name is not an identifier: which field, and a sentence saying what to fix.</summary>
public sealed record IdentifierError(string Field, string Reason, bool IsReservedRunId = false)
{
    /// <returns>null when <paramref name="value"/> satisfies <see cref="IdentifierGrammar"/>.</returns>
    public static IdentifierError? Check(string field, string value) =>
        IdentifierGrammar.Explain(field, value) is { } why ? new IdentifierError(field, why) : null;

    /// <summary>A run id follows the grammar and is not <see cref="IdentifierGrammar.ReservedRunId"/>.</summary>
    public static IdentifierError? CheckRunId(string runId) =>
        Check("run_id", runId) ?? (runId == IdentifierGrammar.ReservedRunId
            ? new IdentifierError("run_id",
                $"'run_id' must not be '{IdentifierGrammar.ReservedRunId}': GET /v1/runs/{{organization}}/{{project}}/{{service}}/latest names the newest run.",
                IsReservedRunId: true)
            : null);
}
