using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Stricture.Ingest.Ui;

/// <summary>
/// The read token a reader entered at /ui/login, kept for the browser session only: in a cookie that
/// script cannot read (HttpOnly), that no other site's request carries (SameSite=Strict), that the
/// browser drops when it closes (no Expires), sent only over TLS unless the server is on loopback,
/// and whose value is the token encrypted and authenticated with ASP.NET Data Protection, so the
/// cookie is useless to anything but this server. The token never appears in a URL.
/// </summary>
internal sealed class UiSession(IDataProtectionProvider protection)
{
    public const string CookieName = "stricture-ui-session";

    private readonly IDataProtector _protector = protection.CreateProtector("Stricture.Ui.Session.v1");

    /// <summary>Browsers drop a cookie past about 4 KB without a word: a longer protected token is refused instead.</summary>
    public const int MaxCookieValueLength = 4000;

    /// <summary>Sets the session cookie; false (and no cookie) when the protected token would be too long for a browser to keep.</summary>
    public bool SignIn(HttpContext context, string token)
    {
        var value = _protector.Protect(token);
        if (value.Length > MaxCookieValueLength)
        {
            return false;
        }
        context.Response.Cookies.Append(CookieName, value, CookieOptions(context));
        return true;
    }

    public void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, CookieOptions(context));

    public bool HasCookie(HttpContext context) => context.Request.Cookies.ContainsKey(CookieName);

    /// <summary>The token in the request's cookie, or null (no cookie, or one this server's keys did not protect).</summary>
    public string? TokenOf(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            // Protected by a key this server no longer has (a restart with in-memory keys): sign in again.
            return null;
        }
    }

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        // Browsers keep Secure cookies off plain http, and a loopback server is plain http.
        Secure = !IsLoopback(context),
        Path = UiPaths.Root,
        IsEssential = true,
    };

    private static bool IsLoopback(HttpContext context) =>
        context.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local) && !context.Request.IsHttps;
}
