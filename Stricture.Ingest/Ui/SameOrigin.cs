using Stricture.Ingest.Problems;

namespace Stricture.Ingest.Ui;

/// <summary>
/// The sign-in and sign-out forms accept posts from this server's own pages only: a post whose
/// <c>Origin</c> (or, without one, <c>Sec-Fetch-Site</c>) names another site is refused, so no other
/// site can sign a reader in with its own token or out of theirs. The session cookie is SameSite=Strict
/// besides, so no other site's request ever carries it.
/// </summary>
internal static class SameOrigin
{
    public static RequestProblem? Check(HttpContext context)
    {
        var headers = context.Request.Headers;
        var origin = headers.Origin.ToString();
        var sameSite = origin.Length > 0
            ? Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            : headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none";
        return sameSite
            ? null
            : new RequestProblem(StatusCodes.Status403Forbidden, "cross-site-request", "The form was posted from another site.",
                "Sign in and out from this server's own /ui/login page.");
    }
}
