namespace Stricture.Cli.Ci;

/// <summary>
/// What a CI system says about the job the tool runs in: enough to name the run so that a network
/// retry within one job attempt is the same run (idempotent) and a new attempt is a new run.
/// </summary>
/// <param name="Provider">A short name recorded as metadata ("github-actions", "gitlab-ci", ...).</param>
/// <param name="RunId">Derived from the CI's run identity and attempt; already within the identifier grammar.</param>
/// <param name="CommitSha">The commit being built, when the CI says.</param>
/// <param name="GeneratedAt">A time that is fixed for the job attempt (so a re-invocation posts the same content), when the CI has one.</param>
/// <param name="Repository">The repository being built, recorded as metadata.</param>
/// <param name="Branch">The branch or ref name, recorded as metadata.</param>
/// <param name="PipelineUrl">A link to the job or pipeline, recorded as metadata.</param>
public sealed record CiRun(
    string Provider,
    string RunId,
    string? CommitSha,
    string? GeneratedAt,
    string? Repository,
    string? Branch,
    string? PipelineUrl)
{
    /// <summary>The metadata a push carries by default; explicit --metadata entries win over these.</summary>
    public IEnumerable<KeyValuePair<string, string>> Metadata()
    {
        yield return new("ci", Provider);
        if (Repository is not null)
        {
            yield return new("repository", Repository);
        }
        if (Branch is not null)
        {
            yield return new("branch", Branch);
        }
        if (PipelineUrl is not null)
        {
            yield return new("pipeline_url", PipelineUrl);
        }
    }
}
