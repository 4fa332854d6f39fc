using Stricture.Storage.Identity;

namespace Stricture.Ingest.Auth;

/// <summary>
/// What a credential may write (and read): one project (<c>acme/checkout</c>), every project of an
/// organization (<c>acme/*</c>) or, for the unscoped shared tokens, everything (<c>*</c>).
/// </summary>
public readonly record struct Scope(string Organization, string Project)
{
    public const string Wildcard = "*";

    public static readonly Scope Everything = new(Wildcard, Wildcard);

    public bool Covers(Scope required) =>
        (Organization == Wildcard || Organization == required.Organization) &&
        (Project == Wildcard || Project == required.Project);

    public override string ToString() => this == Everything ? Wildcard : $"{Organization}/{Project}";

    /// <summary>
    /// Parses <c>org/project</c>, <c>org/*</c> and, when <paramref name="allowEverything"/> (configured
    /// grants, never claims from a token), <c>*</c>. Both parts follow the identifier grammar.
    /// </summary>
    public static bool TryParse(string text, bool allowEverything, out Scope scope)
    {
        scope = default;
        if (text == Wildcard)
        {
            scope = Everything;
            return allowEverything;
        }
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }
        var (organization, project) = (text[..slash], text[(slash + 1)..]);
        if (IdentifierGrammar.Explain("organization", organization) is not null ||
            (project != Wildcard && IdentifierGrammar.Explain("project", project) is not null))
        {
            return false;
        }
        scope = new Scope(organization, project);
        return true;
    }
}
