using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Stricture.Ingest.Auth;
using Stricture.Ingest.Configuration;
using Stricture.Ingest.Ui.Pages;

namespace Stricture.Ingest.Ui;

/// <summary>
/// Before any page: in a mode that authenticates, a request must carry a credential the API would
/// accept (from the session cookie, an Authorization header or the edge's JWT). A browser without
/// one is sent to /ui/login; one whose credential was refused (a token revoked or expired since it
/// signed in) is signed out and shown the sign-in form with the reason, as a 401. Which
/// organisations and projects it may see is each page's own check, with the API's scopes.
/// </summary>
internal sealed class UiReaderFilter(IOptions<AuthOptions> auth, UiSession session) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (auth.Value.Mode == AuthMode.None || context.User.Identity is { IsAuthenticated: true })
        {
            return await next(invocation);
        }
        var authentication = await context.AuthenticateAsync();
        if (authentication.Failure is null)
        {
            return UiResults.SeeOther(context, UiPaths.Login);
        }
        var failure = (authentication.Failure as AuthFailureException)?.Failure ?? AuthFailure.InvalidToken;
        session.SignOut(context);
        return UiResults.Page<LoginPage>(new()
        {
            [nameof(LoginPage.Chrome)] = new UiChrome(SignedIn: false),
            [nameof(LoginPage.TokenRequired)] = true,
            [nameof(LoginPage.Refusal)] = $"The token was refused ({failure.Code}): {failure.Detail}",
        }, failure.Status);
    }
}

/// <summary>With STRICTURE_SERVER_UI=off (and in function mode by default) the runs browser does not exist: every /ui/ address is a 404.</summary>
internal sealed class UiEnabledFilter(IOptions<UiOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        options.Value.Enabled
            ? await next(invocation)
            : new Problems.RequestProblem(StatusCodes.Status404NotFound, "ui-disabled", "The runs browser is turned off.",
                $"This server does not serve /ui/ ({UiOptions.UiSetting}=off, or function mode). Use the read API under /v1/.").ToResult();
}
