using Ganss.Xss;
using Markdig;

namespace Stricture.Ingest.Ui;

/// <summary>
/// Renders a run's markdown summary for the run page. Two layers, each enough alone for what it
/// handles: Markdig with HTML disabled writes any raw HTML in the summary (a <c>&lt;script&gt;</c>) as
/// escaped text; HtmlSanitizer then removes what markdown itself can produce that a page must not
/// carry (<c>javascript:</c> links, unknown attributes). The summary comes from any CI pipeline that
/// may post, so it is treated as hostile.
/// </summary>
public sealed class SummaryMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string ToSafeHtml(string markdown) => _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        // Markdown never needs inline styles, and the Content-Security-Policy would block them anyway.
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
        return sanitizer;
    }
}
