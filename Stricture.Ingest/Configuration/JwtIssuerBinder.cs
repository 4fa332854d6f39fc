using Names = Stricture.Ingest.Configuration.JwtIssuerSettingNames;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// Reads the STRICTURE_SERVER_JWT_ISSUERS__&lt;name&gt;__* sections: the provider's defaults first,
/// then what the section sets. Anything unreadable is kept as a setting error for the validator,
/// so every mistake in every issuer is reported at once.
/// </summary>
internal static class JwtIssuerBinder
{
    public static IReadOnlyList<JwtIssuerOptions> Bind(IConfigurationSection issuers) =>
        issuers.GetChildren().Select(BindIssuer).ToList();

    private static JwtIssuerOptions BindIssuer(IConfigurationSection section)
    {
        var options = new JwtIssuerOptions { Name = section.Key };
        string? Value(string key) => section[key] is { Length: > 0 } value ? value.Trim() : null;

        foreach (var child in section.GetChildren().Where(child => !Names.All.Contains(child.Key, StringComparer.OrdinalIgnoreCase)))
        {
            options.SettingErrors.Add($"{options.Setting(child.Key)} is not a setting of a trusted issuer; they are: {string.Join(", ", Names.All)}.");
        }
        if (Value(Names.Provider) is { } provider)
        {
            if (JwtProviderPresets.Names.TryGetValue(provider, out var known))
            {
                options.Provider = known;
            }
            else
            {
                options.SettingErrors.Add($"{options.Setting(Names.Provider)} must be one of {string.Join(", ", JwtProviderPresets.Names.Keys.Select(n => $"'{n}'"))}, not '{provider}'.");
            }
        }
        JwtProviderPresets.ApplyDefaults(options);

        options.Issuer = Value(Names.Issuer) ?? options.Issuer;
        options.Audiences = List(Value(Names.Audience)) ?? options.Audiences;
        options.DiscoveryUrl = Url(options, Names.DiscoveryUrl, Value(Names.DiscoveryUrl)) ?? options.DiscoveryUrl;
        options.JwksUrl = Url(options, Names.JwksUrl, Value(Names.JwksUrl)) ?? options.JwksUrl;
        options.SubjectClaims = List(Value(Names.SubjectClaim)) ?? options.SubjectClaims;
        options.OrganizationClaim = Value(Names.OrganizationClaim) ?? options.OrganizationClaim;
        options.ProjectClaim = Value(Names.ProjectClaim) ?? options.ProjectClaim;
        options.ScopesClaim = Value(Names.ScopesClaim) ?? options.ScopesClaim;
        options.Scopes = List(Value(Names.Scopes)) ?? options.Scopes;
        options.AllowedOrganizations = List(Value(Names.AllowedOrganizations))?.Select(o => o.ToLowerInvariant()).ToList() ?? options.AllowedOrganizations;

        JwtProviderPresets.ApplyDerived(options);
        return options;
    }

    /// <summary>A comma-separated list; null when the setting is absent.</summary>
    private static List<string>? List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static Uri? Url(JwtIssuerOptions options, string key, string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return url;
        }
        options.SettingErrors.Add($"{options.Setting(key)} must be an absolute URL, not '{text}'.");
        return null;
    }
}
