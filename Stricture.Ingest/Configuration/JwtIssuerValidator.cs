using Stricture.Ingest.Auth;
using Stricture.Ingest.Auth.Jwt;
using Stricture.Storage.Identity;
using Names = Stricture.Ingest.Configuration.JwtIssuerSettingNames;

namespace Stricture.Ingest.Configuration;

/// <summary>Start-up rules for the trusted issuers: every problem of every issuer, each naming its setting.</summary>
internal static class JwtIssuerValidator
{
    public static List<string> Validate(IReadOnlyList<JwtIssuerOptions> issuers)
    {
        var failures = issuers.SelectMany(Validate).ToList();
        foreach (var shared in issuers.Where(i => i.Issuer is not null).GroupBy(i => i.Issuer, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"The issuer '{shared.Key}' is configured more than once ({string.Join(", ", shared.Select(i => $"{SettingNames.JwtIssuers}__{i.Name}"))}); " +
                         "list all its audiences in one issuer's AUDIENCE, separated by commas.");
        }
        return failures;
    }

    private static IEnumerable<string> Validate(JwtIssuerOptions issuer)
    {
        foreach (var error in issuer.SettingErrors)
        {
            yield return error;
        }
        if (issuer.Issuer is null)
        {
            yield return $"{issuer.Setting(Names.Issuer)} is required: the 'iss' its tokens carry, such as https://login.example.com.";
        }
        else if (!Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var issuerUrl) || !IssuerUrls.IsSecureOrLoopback(issuerUrl))
        {
            yield return $"{issuer.Setting(Names.Issuer)} must be an https URL, not '{issuer.Issuer}' (plain http only on loopback, for tests).";
        }
        foreach (var (key, url) in new[] { (Names.DiscoveryUrl, issuer.DiscoveryUrl), (Names.JwksUrl, issuer.JwksUrl) })
        {
            if (url is not null && !IssuerUrls.IsSecureOrLoopback(url))
            {
                yield return $"{issuer.Setting(key)} must be an https URL, not '{url}' (plain http only on loopback, for tests): " +
                             "keys fetched over plain http can be replaced on the way.";
            }
        }
        if (issuer.Audiences.Count == 0)
        {
            yield return $"{issuer.Setting(Names.Audience)} is required: the audience ('aud') tokens must be issued for, such as " +
                         (issuer.Provider == JwtProvider.GitHub ? "'stricture' (what the workflow requests)." : "this server's URL or application id.");
        }
        foreach (var text in issuer.Scopes.Where(text => !Scope.TryParse(text, allowEverything: true, out _)))
        {
            yield return $"{issuer.Setting(Names.Scopes)}: '{text}' is not 'organization/project', 'organization/*' or '*'.";
        }
        if (issuer.OrganizationClaim is null && issuer.ScopesClaim is null && issuer.Scopes.Count == 0)
        {
            yield return $"{SettingNames.JwtIssuers}__{issuer.Name} grants no scopes, so its tokens could write nothing: set " +
                         $"{issuer.Setting(Names.OrganizationClaim)} (and {Names.ProjectClaim}), {issuer.Setting(Names.ScopesClaim)} or {issuer.Setting(Names.Scopes)}.";
        }
        if (issuer.OrganizationClaim is null && issuer.ProjectClaim is not null)
        {
            yield return $"{issuer.Setting(Names.ProjectClaim)} needs {issuer.Setting(Names.OrganizationClaim)}: a project belongs to an organization.";
        }
        if (issuer.AllowedOrganizations.Count > 0 && issuer.OrganizationClaim is null)
        {
            yield return $"{issuer.Setting(Names.AllowedOrganizations)} needs {issuer.Setting(Names.OrganizationClaim)}: the claim the list is checked against.";
        }
        foreach (var organization in issuer.AllowedOrganizations.Where(o => IdentifierGrammar.Explain("organization", o) is not null))
        {
            yield return $"{issuer.Setting(Names.AllowedOrganizations)}: '{organization}' is not a valid organization name.";
        }
        if (issuer.Provider == JwtProvider.GitHub && issuer.AllowedOrganizations.Count == 0)
        {
            yield return $"{issuer.Setting(Names.AllowedOrganizations)} is required for GitHub: any repository on GitHub can get a token " +
                         "for any audience, so list the repository owners whose workflows may post, such as 'acme'.";
        }
    }
}
