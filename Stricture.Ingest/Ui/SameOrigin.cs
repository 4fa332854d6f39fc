using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Ui;

/// <summary>
/// The sign-in and sign-out forms accept posts from this server's own pages only: a post whose
/// <c>Sec-Fetch-Site</c> (or, from a client that sends none, <c>Origin</c>) names another site is refused, so no other
/// site can sign a reader in with its own token or out of theirs. The session cookie is SameSite=Strict
/// besides, so no other site's request ever carries it.
/// </summary>
internal static class SameOrigin
{
    public static RequestProblem? Check(HttpContext context)
    {
        var headers = context.Request.Headers;
        // Browsers send Sec-Fetch-Site on every request; Origin can be "null" (privacy settings), so it is the fallback.
        var fetchSite = headers["Sec-Fetch-Site"].ToString();
        var origin = headers.Origin.ToString();
        var sameSite = fetchSite.Length > 0
            ? fetchSite is "same-origin" or "none"
            : origin.Length == 0 ||
              (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase));
        return sameSite
            ? null
            : new RequestProblem(StatusCodes.Status403Forbidden, "cross-site-request", "The form was posted from another site.",
                "Sign in and out from this server's own /ui/login page.");
    }
}
