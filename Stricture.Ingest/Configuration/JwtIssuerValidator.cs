using Stricture.Ingest.Auth;
using Stricture.Ingest.Auth.Jwt;
using Stricture.Storage.Identity;

namespace Stricture.Ingest.Configuration;

/// <summary>Start-up rules for the trusted issuers: every problem of every issuer, each naming its setting.</summary>
internal static class JwtIssuerValidator
{
    /// <param name="issuers">The issuers as bound, with their providers' defaults.</param>
    /// <param name="sections">The issuers' sections as configured, for keys no issuer has.</param>
    public static List<string> Validate(IReadOnlyList<JwtIssuerOptions> issuers, IConfigurationSection sections)
    {
        var failures = sections.GetChildren()
            .SelectMany(section => section.GetChildren().Select(child => (Issuer: section.Key, child.Key)))
            .Where(setting => !JwtIssuerOptions.Settings.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
            .Select(setting => $"{AuthOptions.IssuerSetting(setting.Issuer, setting.Key)} is not a setting of a trusted issuer; " +
                               $"they are: {string.Join(", ", JwtIssuerOptions.Settings)}.")
            .ToList();
        failures.AddRange(issuers.SelectMany(Validate));
        foreach (var shared in issuers.Where(i => i.Issuer is not null).GroupBy(i => i.Issuer, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"The issuer '{shared.Key}' is configured more than once ({string.Join(", ", shared.Select(i => $"{AuthOptions.JwtIssuersSetting}__{i.Name}"))}); " +
                         "list all its audiences in one issuer's AUDIENCE, separated by commas.");
        }
        return failures;
    }

    private static IEnumerable<string> Validate(JwtIssuerOptions issuer)
    {
        if (issuer.ProviderName is { } provider && !JwtProviderPresets.Names.ContainsKey(provider))
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.ProviderSetting)} must be one of " +
                         $"{string.Join(", ", JwtProviderPresets.Names.Keys.Select(n => $"'{n}'"))}, not '{provider}'.";
        }
        if (issuer.Issuer is null)
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.IssuerSetting)} is required: the 'iss' its tokens carry, such as https://login.example.com.";
        }
        else if (!Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out var issuerUrl) || !IssuerUrls.IsSecureOrLoopback(issuerUrl))
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.IssuerSetting)} must be an https URL, not '{issuer.Issuer}' (plain http only on loopback, for tests).";
        }
        foreach (var (key, url) in new[] { (JwtIssuerOptions.DiscoveryUrlSetting, issuer.DiscoveryUrl), (JwtIssuerOptions.JwksUrlSetting, issuer.JwksUrl) })
        {
            if (url is { IsAbsoluteUri: false })
            {
                yield return $"{issuer.Setting(key)} must be an absolute URL, not '{url.OriginalString}'.";
            }
            else if (url is not null && !IssuerUrls.IsSecureOrLoopback(url))
            {
                yield return $"{issuer.Setting(key)} must be an https URL, not '{url}' (plain http only on loopback, for tests): " +
                             "keys fetched over plain http can be replaced on the way.";
            }
        }
        if (issuer.Audiences.Count == 0)
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.AudienceSetting)} is required: the audience ('aud') tokens must be issued for, such as " +
                         (issuer.ProviderKind == JwtProvider.GitHub ? "'stricture' (what the workflow requests)." : "this server's URL or application id.");
        }
        foreach (var text in issuer.ScopeGrants.Where(text => !Scope.TryParse(text, allowEverything: true, out _)))
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.ScopesSetting)}: '{text}' is not 'organization/project', 'organization/*' or '*'.";
        }
        if (issuer.OrganizationClaim is null && issuer.ScopesClaim is null && issuer.ScopeGrants.Count == 0)
        {
            yield return $"{AuthOptions.JwtIssuersSetting}__{issuer.Name} grants no scopes, so its tokens could write nothing: set " +
                         $"{issuer.Setting(JwtIssuerOptions.OrganizationClaimSetting)} (and {JwtIssuerOptions.ProjectClaimSetting}), {issuer.Setting(JwtIssuerOptions.ScopesClaimSetting)} or {issuer.Setting(JwtIssuerOptions.ScopesSetting)}.";
        }
        if (issuer.OrganizationClaim is null && issuer.ProjectClaim is not null)
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.ProjectClaimSetting)} needs {issuer.Setting(JwtIssuerOptions.OrganizationClaimSetting)}: a project belongs to an organization.";
        }
        if (issuer.AllowedOrganizations.Count > 0 && issuer.OrganizationClaim is null)
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.AllowedOrganizationsSetting)} needs {issuer.Setting(JwtIssuerOptions.OrganizationClaimSetting)}: the claim the list is checked against.";
        }
        foreach (var organization in issuer.AllowedOrganizations.Where(o => IdentifierGrammar.Explain("organization", o) is not null))
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.AllowedOrganizationsSetting)}: '{organization}' is not a valid organization name.";
        }
        if (issuer.ProviderKind == JwtProvider.GitHub && issuer.AllowedOrganizations.Count == 0)
        {
            yield return $"{issuer.Setting(JwtIssuerOptions.AllowedOrganizationsSetting)} is required for GitHub: any repository on GitHub can get a token " +
                         "for any audience, so list the repository owners whose workflows may post, such as 'acme'.";
        }
    }
}
