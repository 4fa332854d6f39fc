using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using Stricture.Cli.Auth;
using Stricture.Cli.Http;

namespace Stricture.Cli.Commands;

/// <summary>A server to talk to, resolved from <see cref="ConnectionOptions"/>: makes the HTTP client and the credential.</summary>
public sealed record Connection(Uri Server, string? Token, bool Oidc, string Audience, TimeSpan Timeout, bool Json)
{
    private static readonly string Version =
        typeof(Connection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            // A refused or silent connect is retried; each try should not eat the whole --timeout.
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Runs read back may come gzip; the answer is the stored bytes once decompressed.
            AutomaticDecompression = DecompressionMethods.GZip,
        };
        var client = new HttpClient(handler) { BaseAddress = Server, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("stricture-cli", Version));
        return client;
    }

    public RetryingSender CreateSender(HttpClient client) => new(client, Timeout, Console.Error);

    /// <summary>The bearer credential to send, if any: --token as given, or a fresh GitHub OIDC token.</summary>
    /// <exception cref="CredentialException">--oidc, and no token could be obtained.</exception>
    public async Task<string?> BearerAsync(RetryingSender sender, CancellationToken cancellationToken) =>
        Oidc ? await GitHubOidcToken.RequestAsync(sender, Environment.GetEnvironmentVariable, Audience, cancellationToken) : Token;
}
