namespace Stricture.Ingest.Auth;

/// <summary>Who made a request, as audit records and logs name it: never a secret.</summary>
public static class IngestPrincipal
{
    public const string Anonymous = "anonymous";
    public const string PrimaryToken = "token:primary";
    public const string SecondaryToken = "token:secondary";

    /// <summary>A token of the scoped-token file, by its id.</summary>
    public static string ScopedToken(string id) => "token:" + id;

    /// <summary>A JWT's identity: its issuer and subject, <c>&lt;iss&gt;#&lt;sub&gt;</c> (an issuer URL has no fragment).</summary>
    public static string Jwt(string issuer, string subject) => issuer + "#" + subject;

    public static string NameOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : Anonymous;
}
