using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Ingest.Ui.Models;
using Stricture.Ingest.Ui.Pages;
using Stricture.Storage.Discovery;
using Stricture.Storage.Identity;
using Stricture.Storage.Queries;

namespace Stricture.Ingest.Ui;

/// <summary>
/// The runs browser under /ui/: read-only pages of an organisation, a service, a run and the drift
/// feed, answered in-process from the same derived objects and queries as the JSON read API
/// (<see cref="OrgQueries"/>, <see cref="RunQueries"/>, the run catalog), with the same scopes: a
/// reader sees the projects its credential may read and no other. Only the run page reads a payload,
/// the one it shows.
/// </summary>
public static class RunsBrowserApi
{
    /// <summary>What the page handlers need, resolved from DI as one parameter.</summary>
    internal sealed record UiServices(
        [FromServices] ProjectAuthorization Projects,
        [FromServices] OrganizationReadScope Scope,
        [FromServices] OrgQueries OrgQueries,
        [FromServices] RunQueries RunQueries,
        [FromServices] UiSession Session,
        [FromServices] TimeProvider Time)
    {
        public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

        public UiChrome Chrome(HttpContext context) => new(Session.HasCookie(context) && context.User.Identity is { IsAuthenticated: true });
    }

    public static RouteGroupBuilder MapRunsBrowser(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(UiPaths.Root)
            .ExcludeFromDescription()
            .AddEndpointFilter<UiEnabledFilter>();

        group.MapGet("/assets/stricture.css", UiStylesheet.Serve);
        group.MapGet("/login", LoginForm);
        group.MapPost("/login", SignInAsync);
        group.MapPost("/logout", SignOut);

        var pages = group.MapGroup("").AddEndpointFilter<UiReaderFilter>();
        pages.MapGet("/", Home);
        pages.MapGet("/go", Go);
        pages.MapGet("/orgs/{organization}", OrganizationAsync);
        pages.MapGet("/orgs/{organization}/drift", DriftFeedAsync);
        pages.MapGet("/orgs/{organization}/{project}/{service}", ServiceAsync);
        pages.MapGet("/orgs/{organization}/{project}/{service}/runs/{run_id}", RunAsync);
        pages.MapGet("/orgs/{organization}/{project}/{service}/runs/{run_id}/payload.json", PayloadAsync);
        return group;
    }

    internal static IResult LoginForm(HttpContext context, [AsParameters] UiServices ui, [FromServices] IOptions<AuthOptions> auth) =>
        UiResults.Page<LoginPage>(new()
        {
            [nameof(LoginPage.Chrome)] = ui.Chrome(context),
            [nameof(LoginPage.TokenRequired)] = auth.Value.Mode != AuthMode.None,
        });

    internal static async Task<IResult> SignInAsync(HttpContext context, [AsParameters] UiServices ui, [FromServices] IOptions<AuthOptions> auth)
    {
        if (SameOrigin.Check(context) is { } crossSite)
        {
            return UiResults.Problem(context, crossSite, ui.Chrome(context));
        }
        if (auth.Value.Mode == AuthMode.None)
        {
            // Nothing to keep: the pages are open, and a token the server does not check must not ride along.
            return UiResults.SeeOther(context, UiPaths.Root + "/");
        }
        var token = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(context.RequestAborted))["token"].ToString().Trim() : "";
        if (token.Length == 0)
        {
            return UiResults.Problem(context, RequestProblem.BadRequest("missing-token", "Enter a read token in the 'Read token' field.", "token"), ui.Chrome(context));
        }
        // Checked on the next page, by the API's own scheme (UiReaderFilter): a refused token comes back here with the reason.
        return ui.Session.SignIn(context, token)
            ? UiResults.SeeOther(context, UiPaths.Root + "/")
            : UiResults.Problem(context, RequestProblem.BadRequest("token-too-long",
                "This token is too long to keep in a browser cookie; sign in with a shorter one, such as a scoped read token.", "token"), ui.Chrome(context));
    }

    internal static IResult SignOut(HttpContext context, [AsParameters] UiServices ui)
    {
        if (SameOrigin.Check(context) is { } crossSite)
        {
            return UiResults.Problem(context, crossSite, ui.Chrome(context));
        }
        ui.Session.SignOut(context);
        return UiResults.SeeOther(context, UiPaths.Login);
    }

    internal static IResult Home(HttpContext context, [AsParameters] UiServices ui) =>
        UiResults.Page<HomePage>(new()
        {
            [nameof(HomePage.Chrome)] = ui.Chrome(context),
            [nameof(HomePage.Organizations)] = StrictureIdentity.ScopesOf(context.User)
                .Select(scope => scope.Organization).Where(organization => organization != Scope.Wildcard)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        });

    internal static IResult Go(HttpContext context, [AsParameters] UiServices ui)
    {
        var organization = QueryParameters.Value(context.Request.Query, "organization")?.Trim() ?? "";
        return IdentifierGrammar.Explain("organization", organization) is { } why
            ? UiResults.Problem(context, RequestProblem.BadRequest("invalid-identifier", why, "organization"), ui.Chrome(context))
            : UiResults.SeeOther(context, UiPaths.Organization(organization));
    }

    internal static async Task<IResult> OrganizationAsync(
        string organization, HttpContext context, [AsParameters] UiServices ui, [FromServices] OrgOverviewReader reader, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var project = QueryParameters.Value(query, "project") is { Length: > 0 } named ? named : null;
        var problem = IdentifierGrammar.Explain("organization", organization) is { } badOrganization
            ? RequestProblem.BadRequest("invalid-identifier", badOrganization, "organization")
            : project is not null && IdentifierGrammar.Explain("project", project) is { } badProject
                ? RequestProblem.BadRequest("invalid-identifier", badProject, "project")
                : null;
        var page = 1;
        if (problem is null && QueryParameters.Value(query, "page") is { } pageText &&
            !(int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1))
        {
            problem = RequestProblem.BadRequest("invalid-page", $"'page' must be a whole number from 1, not '{pageText}'.", "page");
        }
        if (problem is not null)
        {
            return UiResults.Problem(context, problem, ui.Chrome(context));
        }
        var (visible, refused) = await ui.Scope.ResolveAsync(context, organization, project);
        if (visible is null)
        {
            return UiResults.Problem(context, refused!, ui.Chrome(context), organization);
        }
        var overview = await reader.ReadAsync(organization, project, visible, page, cancellationToken);
        return UiResults.Page<OrgPage>(new() { [nameof(OrgPage.Chrome)] = ui.Chrome(context), [nameof(OrgPage.Model)] = overview });
    }

    internal static async Task<IResult> DriftFeedAsync(string organization, HttpContext context, [AsParameters] UiServices ui, CancellationToken cancellationToken)
    {
        if (IdentifierGrammar.Explain("organization", organization) is { } why)
        {
            return UiResults.Problem(context, RequestProblem.BadRequest("invalid-identifier", why, "organization"), ui.Chrome(context));
        }
        var (query, problem) = OrgQueryParser.ParseDrift(context.Request.Query, ui.Today);
        if (query is null)
        {
            return UiResults.Problem(context, problem!, ui.Chrome(context), organization);
        }
        var (visible, refused) = await ui.Scope.ResolveAsync(context, organization, query.Project);
        if (visible is null)
        {
            return UiResults.Problem(context, refused!, ui.Chrome(context), organization);
        }
        var page = await ui.OrgQueries.ListDriftAsync(organization, query, visible, cancellationToken);
        return UiResults.Page<DriftFeedPage>(new()
        {
            [nameof(DriftFeedPage.Chrome)] = ui.Chrome(context),
            [nameof(DriftFeedPage.Organization)] = organization,
            [nameof(DriftFeedPage.Query)] = query,
            [nameof(DriftFeedPage.Page)] = page,
        });
    }

    internal static async Task<IResult> ServiceAsync(
        string organization, string project, string service, HttpContext context, [AsParameters] UiServices ui,
        [FromServices] ServiceTimelineReader reader, CancellationToken cancellationToken)
    {
        var (identity, refusal) = await AuthorizeServiceAsync(context, ui, organization, project, service);
        if (identity is null)
        {
            return refusal!;
        }
        if (!RunQueryParser.TryParse(context.Request.Query, ui.Today, out var query, out var problem))
        {
            return UiResults.Problem(context, problem, ui.Chrome(context), organization);
        }
        return await reader.ReadAsync(identity, query, cancellationToken) is { } timeline
            ? UiResults.Page<ServiceTimelinePage>(new()
            {
                [nameof(ServiceTimelinePage.Chrome)] = ui.Chrome(context),
                [nameof(ServiceTimelinePage.Model)] = timeline,
                [nameof(ServiceTimelinePage.Today)] = ui.Today,
            })
            : UiResults.Problem(context, ServiceNotFound(identity), ui.Chrome(context), organization);
    }

    internal static async Task<IResult> RunAsync(
        string organization, string project, string service, [FromRoute(Name = "run_id")] string runId, HttpContext context,
        [AsParameters] UiServices ui, [FromServices] SummaryMarkdown markdown, CancellationToken cancellationToken)
    {
        var (run, stored, refusal) = await ReadRunAsync(context, ui, organization, project, service, runId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var details = RunDetails.From(run!, stored!.Record);
        if (details.Drift is not null)
        {
            // Decided once when the run was accepted (its blast radius then, and the gate's answer), never recomputed.
            details = details with { Assessment = stored.Index.Assessment };
        }
        var query = context.Request.Query;
        return UiResults.Page<RunRecordPage>(new()
        {
            [nameof(RunRecordPage.Chrome)] = ui.Chrome(context),
            [nameof(RunRecordPage.Model)] = details,
            [nameof(RunRecordPage.Changes)] = ChangeTable.From(details.Changes, QueryParameters.Value(query, "sort"), QueryParameters.Value(query, "dir"),
                QueryParameters.Value(query, "type"), QueryParameters.Value(query, "field")),
            [nameof(RunRecordPage.SummaryHtml)] = details.Summary is { } summary ? new MarkupString(markdown.ToSafeHtml(summary)) : null,
        });
    }

    /// <summary>The stored payload, byte for byte, as a download (the API's GET of the run needs a bearer header a link cannot send).</summary>
    internal static async Task<IResult> PayloadAsync(
        string organization, string project, string service, [FromRoute(Name = "run_id")] string runId, HttpContext context,
        [AsParameters] UiServices ui, CancellationToken cancellationToken)
    {
        var (run, stored, refusal) = await ReadRunAsync(context, ui, organization, project, service, runId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        context.Response.Headers.ETag = $"\"{stored!.Record.Sha256}\"";
        return TypedResults.Bytes(stored.Record.Content.ToArray(), "application/json", fileDownloadName: $"{run!.RunId}.payload.json");
    }

    private static async Task<(RunIdentity? Run, Storage.Records.StoredRun? Stored, IResult? Refusal)> ReadRunAsync(
        HttpContext context, UiServices ui, string organization, string project, string service, string runId, CancellationToken cancellationToken)
    {
        var (identity, refusal) = await AuthorizeServiceAsync(context, ui, organization, project, service);
        if (identity is null)
        {
            return (null, null, refusal);
        }
        if (!identity.TryWithRun(runId, out var run, out var invalidRun))
        {
            return (null, null, UiResults.Problem(context, IdentifierProblem.From(invalidRun), ui.Chrome(context), organization));
        }
        return await ui.RunQueries.GetRunAsync(run, cancellationToken) is { } stored
            ? (run, stored, null)
            : (null, null, UiResults.Problem(context,
                new RequestProblem(StatusCodes.Status404NotFound, "run-not-found", "No such run.",
                    $"No run '{runId}' is stored for organization '{organization}', project '{project}', service '{service}'."),
                ui.Chrome(context), organization));
    }

    /// <summary>The route's service, once its names are valid and the reader's scopes cover its project; else the refusal to return.</summary>
    private static async Task<(ServiceIdentity? Identity, IResult? Refusal)> AuthorizeServiceAsync(
        HttpContext context, UiServices ui, string organization, string project, string service)
    {
        if (!ServiceIdentity.TryCreate(organization, project, service, out var identity, out var error))
        {
            return (null, UiResults.Problem(context, IdentifierProblem.From(error), ui.Chrome(context)));
        }
        return await ui.Projects.CheckAsync(context, organization, project) is { } forbidden
            ? (null, UiResults.Problem(context, forbidden, ui.Chrome(context), organization))
            : (identity, null);
    }

    private static RequestProblem ServiceNotFound(ServiceIdentity service) =>
        new(StatusCodes.Status404NotFound, "service-not-found", "No such service.",
            $"No runs are stored for organization '{service.Organization}', project '{service.Project}', service '{service.Service}'. " +
            "Check the organization, project and service names.");
}
