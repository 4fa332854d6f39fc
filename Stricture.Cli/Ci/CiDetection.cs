namespace Stricture.Cli.Ci;

/// <summary>
/// Recognises the CI system from its own environment variables and reads the run's identity from
/// them. Each provider's run id joins the CI's identity of the run with its attempt: a network retry
/// inside one job attempt derives the same run id (so the server answers "already stored"), and a
/// re-run derives a new one. The variables are each vendor's documented ones (docs/ci.md lists them).
/// </summary>
public static class CiDetection
{
    /// <returns>The CI run, or null outside a recognised CI (or when its identity variables are missing).</returns>
    public static CiRun? Detect(Func<string, string?> environment)
    {
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;
        bool Is(string name, string expected) => string.Equals(Get(name), expected, StringComparison.OrdinalIgnoreCase);

        if (Is("GITHUB_ACTIONS", "true") && Get("GITHUB_RUN_ID") is { } githubRun)
        {
            var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
            var repository = Get("GITHUB_REPOSITORY");
            var attempt = Get("GITHUB_RUN_ATTEMPT") ?? "1";
            return new CiRun("github-actions", RunIdSegment.Normalize($"gh-{githubRun}-{attempt}"), Commit(Get("GITHUB_SHA")), null,
                repository, Get("GITHUB_REF_NAME"),
                repository is null ? null : $"{server}/{repository}/actions/runs/{githubRun}/attempts/{attempt}");
        }
        if (Is("GITLAB_CI", "true") && Get("CI_JOB_ID") is { } gitlabJob)
        {
            // A retried GitLab job gets a new CI_JOB_ID: the job id is the attempt.
            return new CiRun("gitlab-ci", RunIdSegment.Normalize($"gl-{Get("CI_PIPELINE_ID") ?? "0"}-{gitlabJob}"), Commit(Get("CI_COMMIT_SHA")),
                Get("CI_JOB_STARTED_AT"), Get("CI_PROJECT_PATH"), Get("CI_COMMIT_REF_NAME"), Get("CI_JOB_URL") ?? Get("CI_PIPELINE_URL"));
        }
        if (Is("TF_BUILD", "true") && Get("BUILD_BUILDID") is { } azureBuild)
        {
            var collection = Get("SYSTEM_COLLECTIONURI");
            var project = Get("SYSTEM_TEAMPROJECT");
            return new CiRun("azure-pipelines", RunIdSegment.Normalize($"az-{azureBuild}-{Get("SYSTEM_JOBATTEMPT") ?? "1"}"),
                Commit(Get("BUILD_SOURCEVERSION")), null, Get("BUILD_REPOSITORY_NAME"), Get("BUILD_SOURCEBRANCHNAME"),
                collection is null || project is null ? null
                    : $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={azureBuild}");
        }
        if (Is("BUILDKITE", "true") && Get("BUILDKITE_BUILD_ID") is { } buildkiteBuild)
        {
            return new CiRun("buildkite", RunIdSegment.Normalize($"bk-{buildkiteBuild}-{Get("BUILDKITE_RETRY_COUNT") ?? "0"}"),
                Commit(Get("BUILDKITE_COMMIT")), null, Get("BUILDKITE_REPO"), Get("BUILDKITE_BRANCH"),
                Get("BUILDKITE_BUILD_URL"));
        }
        if (Is("CIRCLECI", "true") && Get("CIRCLE_WORKFLOW_ID") is { } circleWorkflow)
        {
            // A re-run is a new workflow with new job numbers.
            var user = Get("CIRCLE_PROJECT_USERNAME");
            var name = Get("CIRCLE_PROJECT_REPONAME");
            return new CiRun("circleci", RunIdSegment.Normalize($"cc-{circleWorkflow}-{Get("CIRCLE_BUILD_NUM") ?? "0"}"),
                Commit(Get("CIRCLE_SHA1")), null, user is null || name is null ? Get("CIRCLE_REPOSITORY_URL") : $"{user}/{name}",
                Get("CIRCLE_BRANCH"), Get("CIRCLE_BUILD_URL"));
        }
        // Last: JENKINS_URL is sometimes exported into shells that are not Jenkins builds.
        if (Get("JENKINS_URL") is not null && Get("BUILD_NUMBER") is { } jenkinsBuild)
        {
            // A replay or rebuild is a new build number.
            return new CiRun("jenkins", RunIdSegment.Normalize($"jenkins-{Get("JOB_NAME") ?? "job"}-{jenkinsBuild}"),
                Commit(Get("GIT_COMMIT")), null, Get("GIT_URL"), Get("BRANCH_NAME") ?? Get("GIT_BRANCH"), Get("BUILD_URL"));
        }
        return null;
    }

    /// <summary>A commit the server accepts (4 to 64 hex characters, sent lower case), or none: "HEAD" and the like are left out.</summary>
    private static string? Commit(string? value)
    {
        var lower = value?.Trim().ToLowerInvariant();
        return lower is { Length: >= 4 and <= 64 } && lower.All(char.IsAsciiHexDigitLower) ? lower : null;
    }
}
