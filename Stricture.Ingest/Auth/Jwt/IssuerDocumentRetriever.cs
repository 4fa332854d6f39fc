using Microsoft.IdentityModel.Protocols;

namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// Fetches discovery documents and key sets for IdentityModel's retrievers, refusing any address
/// that is not https (or http on loopback): the check applies to the jwks_uri a discovery
/// document names too, not only to the configured URL.
/// </summary>
internal sealed class IssuerDocumentRetriever(HttpClient http) : IDocumentRetriever
{
    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || !IssuerUrls.IsSecureOrLoopback(url))
        {
            throw new IssuerKeysException($"'{address}' is not an https URL (plain http is allowed only to loopback).");
        }
        using var response = await http.GetAsync(url, cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new IssuerKeysException($"GET {url} answered {(int)response.StatusCode}.");
        }
        return await response.Content.ReadAsStringAsync(cancel);
    }
}

/// <summary>An issuer's keys could not be fetched or were not usable; the message says why, for the log.</summary>
internal sealed class IssuerKeysException(string message) : Exception(message);
