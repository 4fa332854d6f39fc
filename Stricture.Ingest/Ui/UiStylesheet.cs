namespace Stricture.Ingest.Ui;

/// <summary>The pages' one stylesheet, embedded in the assembly (Assets/stricture.css): nothing to deploy beside it, nothing from a CDN.</summary>
internal static class UiStylesheet
{
    private static readonly Lazy<byte[]> Content = new(() =>
    {
        using var stream = typeof(UiStylesheet).Assembly.GetManifestResourceStream("Stricture.Ui.stricture.css")
                           ?? throw new InvalidOperationException("The runs browser's stylesheet is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve(HttpContext context)
    {
        // Changes only with a new release: a short public cache spares a reload per page.
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Bytes(Content.Value, "text/css; charset=utf-8");
    }
}
