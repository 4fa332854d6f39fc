namespace Stricture.Ingest.Ui;

/// <summary>
/// The headers every /ui/ answer carries. The Content-Security-Policy allows nothing but this
/// server's stylesheet and inline data images: no script at all (sorting and filtering are links and
/// forms), no frames, forms that post only here. A summary that smuggled markup past the sanitizer
/// could still run nothing. Pages show what a reader's scopes allow, so no cache keeps them.
/// </summary>
internal static class UiSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // No address of these pages leaks to another site; same-origin requests keep theirs (and their Origin).
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }
}
