namespace Stricture.Ingest.Auth.Jwt;

/// <summary>
/// Where an issuer's documents may be fetched from: https, or plain http to a loopback host only
/// (an issuer a test serves on 127.0.0.1). Keys fetched over plain http across a network could
/// be replaced by anyone on the path, and then any token they sign would be trusted.
/// </summary>
public static class IssuerUrls
{
    public static bool IsSecureOrLoopback(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
