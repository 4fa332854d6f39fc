using Stricture.Ingest.Auth;

namespace Stricture.Tests.Auth;

public sealed class ScopeTests
{
    [Theory]
    [InlineData("acme/checkout", "acme/checkout", true)]
    [InlineData("acme/*", "acme/checkout", true)]
    [InlineData("*", "globex/anything", true)]
    [InlineData("acme/checkout", "acme/billing", false)]
    [InlineData("acme/*", "globex/checkout", false)]
    [InlineData("acme/checkout", "acme-evil/checkout", false)]
    public void A_grant_covers_exactly_its_project_its_organization_or_everything(string grant, string required, bool covers)
    {
        Assert.True(Scope.TryParse(grant, allowEverything: true, out var granted));
        Assert.True(Scope.TryParse(required, allowEverything: false, out var needed));
        Assert.Equal(covers, granted.Covers(needed));
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("Acme/checkout")]
    [InlineData("acme/")]
    [InlineData("/checkout")]
    [InlineData("*/checkout")]
    [InlineData("acme/checkout/api")]
    [InlineData("../etc")]
    [InlineData("")]
    public void Anything_but_organization_slash_project_or_star_is_not_a_scope(string text) =>
        Assert.False(Scope.TryParse(text, allowEverything: true, out _), $"'{text}' must not parse");

    [Fact]
    public void Everything_is_only_accepted_where_configuration_grants_it() =>
        Assert.False(Scope.TryParse("*", allowEverything: false, out _), "a claim must never grant every scope");

    [Theory]
    [InlineData("acme/checkout")]
    [InlineData("acme/*")]
    [InlineData("*")]
    public void A_scope_prints_as_it_is_written(string text)
    {
        Assert.True(Scope.TryParse(text, allowEverything: true, out var scope));
        Assert.Equal(text, scope.ToString());
    }
}
