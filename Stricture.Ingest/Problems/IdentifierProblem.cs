using Stricture.Storage.Identity;

namespace Stricture.Ingest.Problems;

/// <summary>An invalid organization, project, service or run id, as the 400 a client sees.</summary>
internal static class IdentifierProblem
{
    public static RequestProblem From(IdentifierError error) =>
        RequestProblem.BadRequest(error.IsReservedRunId ? "reserved-run-id" : "invalid-identifier", error.Reason, error.Field);
}
