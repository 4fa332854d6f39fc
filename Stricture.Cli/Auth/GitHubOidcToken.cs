using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Stricture.Cli.Http;

namespace Stricture.Cli.Auth;

/// <summary>
/// Asks GitHub Actions for an OIDC ID token with the audience the server expects
/// (docs/auth.md, GitHub Actions). The runner exposes the token endpoint only to jobs granted
/// <c>permissions: id-token: write</c>, through ACTIONS_ID_TOKEN_REQUEST_URL and
/// ACTIONS_ID_TOKEN_REQUEST_TOKEN; without them there is nothing to ask, and the message says why.
/// </summary>
public static class GitHubOidcToken
{
    public const string RequestUrlVariable = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public const string RequestTokenVariable = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    public static async Task<string> RequestAsync(
        RetryingSender sender, Func<string, string?> environment, string audience, CancellationToken cancellationToken)
    {
        var url = environment(RequestUrlVariable);
        var requestToken = environment(RequestTokenVariable);
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(requestToken))
        {
            var where = string.Equals(environment("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase)
                ? "This GitHub Actions job may not request an OIDC token: add `permissions: id-token: write` to the workflow or the job"
                : "--oidc works in GitHub Actions (a job with `permissions: id-token: write`); elsewhere pass --token or set STRICTURE_TOKEN";
            throw new CredentialException($"{where} ({RequestUrlVariable} and {RequestTokenVariable} are not set).");
        }

        // The URL already carries a query string (api-version): the audience is one more parameter.
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var tokenUrl = new Uri($"{url}{separator}audience={Uri.EscapeDataString(audience)}");
        ServerAnswer answer;
        try
        {
            answer = await sender.SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, tokenUrl);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", requestToken);
                return request;
            }, cancellationToken);
        }
        catch (ServerUnavailableException exception)
        {
            throw new CredentialException($"GitHub's OIDC token endpoint did not answer: {exception.Message}.");
        }
        if (answer.Status != HttpStatusCode.OK || ReadValue(answer.Body) is not { } token)
        {
            throw new CredentialException(
                $"GitHub's OIDC token endpoint refused the request ({(int)answer.Status}); check that the job has `permissions: id-token: write`.");
        }
        return token;
    }

    private static string? ReadValue(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
