namespace Stricture.Ingest.Ui;

/// <summary>
/// Runs before authentication on /ui/ requests: a request that carries no <c>Authorization</c>
/// header but a session cookie is given the cookie's token as its bearer credential, so the pages are
/// authenticated by exactly the scheme, tokens, expiries and scopes of the API
/// (<see cref="Auth.BearerAuthenticationHandler"/>), with nothing of their own to drift apart. Behind
/// Cloudflare Access the edge's JWT header is read by that scheme as for the API.
/// </summary>
internal sealed class UiSessionMiddleware(RequestDelegate next, UiSession session)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(UiPaths.Root) && context.Request.Headers.Authorization.Count == 0 &&
            session.TokenOf(context) is { } token)
        {
            context.Request.Headers.Authorization = $"Bearer {token}";
        }
        return next(context);
    }
}
