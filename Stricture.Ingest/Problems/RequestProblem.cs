using Microsoft.AspNetCore.Http.HttpResults;
using Stricture.Function.Lambda;

namespace Stricture.Ingest.Problems;

/// <summary>
/// A rejection, before it becomes an RFC 9457 problem body. <see cref="Code"/> is stable and
/// machine-readable (also the problem's <c>type</c>, as <c>urn:stricture:problem:&lt;code&gt;</c>);
/// <see cref="Detail"/> tells a person what to fix; <see cref="Field"/> names the offending field.
/// </summary>
public sealed record RequestProblem(int Status, string Code, string Title, string Detail, string? Field = null)
{
    public const string TypePrefix = ProblemDocument.TypePrefix;

    /// <summary>How long a client should wait after a 503 before retrying (the Retry-After header).</summary>
    public const string RetryAfterSeconds = "5";

    public Dictionary<string, object?> Extensions { get; init; } = [];

    public ProblemHttpResult ToResult() => TypedResults.Problem(ToDocument());

    /// <summary>The problem body, for an answer that carries it inside another (an item of a batch).</summary>
    public Microsoft.AspNetCore.Mvc.ProblemDetails ToDocument()
    {
        var extensions = Field is null ? Extensions : new Dictionary<string, object?>(Extensions) { ["field"] = Field };
        // With the error member here too: an item of a batch is not written through the problem-details service that adds it.
        return ProblemDocument.AddErrorMember(ProblemDocument.Create(Status, Code, Title, Detail, extensions));
    }

    /// <summary>This problem as a result whose type declares its status, for a handler's <c>Results&lt;...&gt;</c> union.</summary>
    public Problem<TStatus> As<TStatus>() where TStatus : IProblemStatus => new(this);

    public static RequestProblem BadRequest(string code, string detail, string? field = null) =>
        new(StatusCodes.Status400BadRequest, code, "The request is invalid.", detail, field);

    public static RequestProblem TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is too large.",
            $"The request body exceeds the limit of {limit} bytes (after gzip decompression).");

    public static RequestProblem Conflict(Stricture.Storage.Records.IngestResult existing) =>
        new(StatusCodes.Status409Conflict, "run-conflict", "The run id is already taken by other content.",
            $"Run '{existing.RunId}' is already stored at '{existing.Location}' with different content; nothing was overwritten. " +
            "Post with a new run_id, or omit run_id to have one generated.")
        {
            Extensions = { ["run_id"] = existing.RunId, ["location"] = existing.Location },
        };

    public static RequestProblem MissingScope(string scope, string principal, IReadOnlyList<string> grants) =>
        new(StatusCodes.Status403Forbidden, "missing-scope", "The credential does not grant this organization or project.",
            $"'{principal}' is not granted '{scope}'" +
            (grants.Count == 0 ? ", nor any other scope. " : $"; it is granted: {string.Join(", ", grants)}. ") +
            $"Use a credential scoped to '{scope}' or to '{scope[..scope.IndexOf('/')]}/*'.")
        {
            Extensions = { ["scope"] = scope },
        };

    public static RequestProblem IntegrityFailure(string detail) =>
        new(StatusCodes.Status500InternalServerError, "integrity-failure", "A stored record failed its integrity check.", detail);

    public static RequestProblem StorageUnavailable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is temporarily unavailable.", detail);

    public static RequestProblem UnsupportedMediaType(string code, string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, code, "The request body's format is not supported.", detail);
}
