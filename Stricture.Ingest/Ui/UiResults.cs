using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Ui.Pages;

namespace Stricture.Ingest.Ui;

/// <summary>
/// How the runs browser answers: a page rendered on the server (Razor components, static rendering,
/// no interactivity), or a refusal. A refusal has the API's status and problem (code, title,
/// detail); a browser (Accept: text/html) gets it as a page, anything else as the problem body itself.
/// </summary>
internal static class UiResults
{
    public static IResult Page<TPage>(Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status };

    public static IResult Problem(HttpContext context, RequestProblem problem, UiChrome chrome, string? organization = null) =>
        WantsHtml(context)
            ? Page<ErrorPage>(new()
            {
                [nameof(ErrorPage.Chrome)] = chrome,
                [nameof(ErrorPage.Organization)] = organization,
                [nameof(ErrorPage.Status)] = problem.Status,
                [nameof(ErrorPage.Title)] = problem.Title,
                [nameof(ErrorPage.Detail)] = problem.Detail,
                [nameof(ErrorPage.Code)] = problem.Code,
            }, problem.Status)
            : problem.ToResult();

    /// <summary>See other: after a form post, the browser loads the next page with a GET.</summary>
    public static IResult SeeOther(HttpContext context, string location)
    {
        context.Response.Headers.Location = location;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }

    private static bool WantsHtml(HttpContext context) =>
        context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
