using Stricture.Cli.Ci;

namespace Stricture.Tests.Cli;

/// <summary>Each CI's variables give a run id from its run identity and attempt, and its commit, branch and links.</summary>
public sealed class CiDetectionTests
{
    public static TheoryData<string, Dictionary<string, string>, string, string, string> Providers => new()
    {
        {
            "github-actions",
            new() { ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = "9001", ["GITHUB_RUN_ATTEMPT"] = "2", ["GITHUB_SHA"] = "ABCDEF0123456789",
                    ["GITHUB_REPOSITORY"] = "Acme/Checkout", ["GITHUB_REF_NAME"] = "main", ["GITHUB_SERVER_URL"] = "https://github.com" },
            "gh-9001-2", "abcdef0123456789", "https://github.com/Acme/Checkout/actions/runs/9001/attempts/2"
        },
        {
            "gitlab-ci",
            new() { ["GITLAB_CI"] = "true", ["CI_PIPELINE_ID"] = "5500", ["CI_JOB_ID"] = "77001", ["CI_COMMIT_SHA"] = "0123456789abcdef",
                    ["CI_PROJECT_PATH"] = "acme/checkout", ["CI_COMMIT_REF_NAME"] = "main", ["CI_JOB_URL"] = "https://gitlab.example.com/acme/checkout/-/jobs/77001",
                    ["CI_JOB_STARTED_AT"] = "2026-11-22T09:30:00Z" },
            "gl-5500-77001", "0123456789abcdef", "https://gitlab.example.com/acme/checkout/-/jobs/77001"
        },
        {
            "azure-pipelines",
            new() { ["TF_BUILD"] = "True", ["BUILD_BUILDID"] = "314", ["SYSTEM_JOBATTEMPT"] = "3", ["BUILD_SOURCEVERSION"] = "fedcba9876543210",
                    ["BUILD_REPOSITORY_NAME"] = "checkout", ["BUILD_SOURCEBRANCHNAME"] = "main",
                    ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/acme/", ["SYSTEM_TEAMPROJECT"] = "Check Out" },
            "az-314-3", "fedcba9876543210", "https://dev.azure.com/acme/Check%20Out/_build/results?buildId=314"
        },
        {
            "buildkite",
            new() { ["BUILDKITE"] = "true", ["BUILDKITE_BUILD_ID"] = "0190F0E2-AAAA-BBBB-CCCC-123456789ABC", ["BUILDKITE_RETRY_COUNT"] = "1",
                    ["BUILDKITE_COMMIT"] = "1234567abcdef", ["BUILDKITE_REPO"] = "git@github.com:acme/checkout.git", ["BUILDKITE_BRANCH"] = "main",
                    ["BUILDKITE_BUILD_URL"] = "https://buildkite.com/acme/checkout/builds/88" },
            "bk-0190f0e2-aaaa-bbbb-cccc-123456789abc-1", "1234567abcdef", "https://buildkite.com/acme/checkout/builds/88"
        },
        {
            "circleci",
            new() { ["CIRCLECI"] = "true", ["CIRCLE_WORKFLOW_ID"] = "6f1c2d3e-0000-4000-8000-00000000abcd", ["CIRCLE_BUILD_NUM"] = "1204",
                    ["CIRCLE_SHA1"] = "abcdef1234567", ["CIRCLE_PROJECT_USERNAME"] = "acme", ["CIRCLE_PROJECT_REPONAME"] = "checkout",
                    ["CIRCLE_BRANCH"] = "main", ["CIRCLE_BUILD_URL"] = "https://circleci.com/gh/acme/checkout/1204" },
            "cc-6f1c2d3e-0000-4000-8000-00000000abcd-1204", "abcdef1234567", "https://circleci.com/gh/acme/checkout/1204"
        },
        {
            "jenkins",
            new() { ["JENKINS_URL"] = "https://jenkins.example.com/", ["JOB_NAME"] = "Checkout/Payments API", ["BUILD_NUMBER"] = "57",
                    ["GIT_COMMIT"] = "abcdef1234567890", ["GIT_URL"] = "https://github.com/acme/checkout.git", ["GIT_BRANCH"] = "origin/main",
                    ["BUILD_URL"] = "https://jenkins.example.com/job/Checkout/job/Payments%20API/57/" },
            "jenkins-checkout-payments-api-57", "abcdef1234567890", "https://jenkins.example.com/job/Checkout/job/Payments%20API/57/"
        },
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Each_ci_derives_the_run_id_from_its_run_and_attempt(
        string provider, Dictionary<string, string> variables, string runId, string commit, string pipelineUrl)
    {
        var run = CiDetection.Detect(variables.GetValueOrDefault);

        Assert.NotNull(run);
        Assert.Equal(provider, run.Provider);
        Assert.Equal(runId, run.RunId);
        Assert.Equal(commit, run.CommitSha);
        Assert.Equal(pipelineUrl, run.PipelineUrl);
        Assert.Null(Stricture.Cli.Commands.Identifier.Explain(run.RunId));
    }

    [Fact]
    public void Outside_a_ci_nothing_is_detected()
    {
        Assert.Null(CiDetection.Detect(new Dictionary<string, string> { ["HOME"] = "/home/ci", ["CI"] = "true" }.GetValueOrDefault));
    }

    [Fact]
    public void GitLab_gives_the_job_start_as_generated_at_so_a_re_invocation_posts_the_same_content()
    {
        var run = CiDetection.Detect(new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true",
            ["CI_PIPELINE_ID"] = "1",
            ["CI_JOB_ID"] = "2",
            ["CI_JOB_STARTED_AT"] = "2026-11-22T09:30:00Z",
        }.GetValueOrDefault);

        Assert.Equal("2026-11-22T09:30:00Z", run?.GeneratedAt);
    }

    [Fact]
    public void A_run_id_too_long_for_the_grammar_is_shortened_deterministically()
    {
        var jobName = string.Join('/', Enumerable.Repeat("A Very Long Folder Name", 10));

        var first = RunIdSegment.Normalize($"jenkins-{jobName}-1");
        var again = RunIdSegment.Normalize($"jenkins-{jobName}-1");
        var next = RunIdSegment.Normalize($"jenkins-{jobName}-2");

        Assert.True(first.Length <= 128, first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        Assert.Null(Stricture.Cli.Commands.Identifier.Explain(first));
    }
}
