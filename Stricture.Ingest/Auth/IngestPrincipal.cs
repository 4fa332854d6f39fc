namespace Stricture.Ingest.Auth;

/// <summary>Who made a request, as audit records and logs name it: never a secret.</summary>
public static class IngestPrincipal
{
    public const string Anonymous = "anonymous";
    public const string PrimaryToken = "token:primary";
    public const string SecondaryToken = "token:secondary";

    public static string NameOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : Anonymous;
}
