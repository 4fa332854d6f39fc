using Stricture.Storage.Identity;
using Stricture.Storage.Keys;

namespace Stricture.Tests.Identity;

/// <summary>
/// A service or run identity exists only when every part satisfies the identifier grammar, so the
/// code below the edge never checks a name again.
/// </summary>
public sealed class ServiceIdentityTests
{
    [Theory]
    [InlineData("Acme", "checkout", "api", "organization")]
    [InlineData("acme", "", "api", "project")]
    [InlineData("acme", "checkout", "../api", "service")]
    public void An_invalid_part_is_refused_and_named(string organization, string project, string service, string field)
    {
        Assert.False(ServiceIdentity.TryCreate(organization, project, service, out var identity, out var error),
            $"'{organization}/{project}/{service}' must not make an identity");
        Assert.Null(identity);
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"'{field}'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_throws_for_a_name_that_skipped_the_edge()
    {
        Assert.Throws<FormatException>(() => ServiceIdentity.Create("acme", "checkout", "API"));
    }

    [Fact]
    public void The_reserved_run_id_is_refused_as_reserved()
    {
        var service = ServiceIdentity.Create("acme", "checkout", "api");

        Assert.False(service.TryWithRun("latest", out _, out var error), "'latest' names the newest run, never a stored one");
        Assert.True(error.IsReservedRunId, "the refusal must say the id is reserved, not malformed");
        Assert.Equal("run_id", error.Field);
    }

    [Fact]
    public void A_key_with_names_outside_the_grammar_is_not_a_run()
    {
        var keys = new RecordKeys("stricture");

        Assert.False(keys.TryParseRecord("stricture/v1/org=Acme/project=checkout/service=api/runs/run=r1.json", out _),
            "an upper-case organization is not an identity this server writes");
        Assert.True(keys.TryParseRecord("stricture/v1/org=acme/project=checkout/service=api/runs/run=r1.json", out var run),
            "a key this server writes parses");
        Assert.Equal(ServiceIdentity.Create("acme", "checkout", "api").WithRun("r1"), run);
    }

    [Theory]
    [InlineData("3f9a1c2", "3f9a1c2")]
    [InlineData("abc1", "abc1")]
    [InlineData("3F9A1C2", "3f9a1c2")]
    [InlineData("abc", null)]
    [InlineData("3f9a1c2g", null)]
    public void One_commit_sha_rule_serves_posts_and_queries_and_stores_lower_case(string value, string? stored)
    {
        Assert.True(CommitSha.TryNormalize(value, out var normalized) == (stored is not null), $"'{value}' is {(stored is null ? "not " : "")}a commit SHA");
        Assert.Equal(stored, normalized);
    }
}
