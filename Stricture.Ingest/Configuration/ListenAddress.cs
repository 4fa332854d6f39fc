using System.Globalization;
using System.Net;

namespace Stricture.Ingest.Configuration;

/// <summary>
/// STRICTURE_SERVER_ADDR as the spec writes it: <c>:8085</c> (every interface), <c>127.0.0.1:8085</c>,
/// <c>[::1]:8085</c> or <c>localhost:8085</c>. Port 0 asks the OS for a free port.
/// </summary>
public sealed record ListenAddress(IPAddress? Address, bool IsLocalhostName, int Port)
{
    public const int DefaultPort = 8085;

    public static readonly ListenAddress AllInterfacesDefault = new(null, false, DefaultPort);

    public static readonly ListenAddress LoopbackDefault = new(IPAddress.Loopback, false, DefaultPort);

    public bool IsLoopback => IsLocalhostName || (Address is not null && IPAddress.IsLoopback(Address));

    public static bool TryParse(string text, out ListenAddress address, out string error)
    {
        address = AllInterfacesDefault;
        error = "";
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{text}' is not a listen address: use ':PORT', 'IP:PORT', '[IPv6]:PORT' or 'localhost:PORT', for example ':8085' or '127.0.0.1:8085'.";
            return false;
        }
        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0 || host is "*" or "+")
        {
            address = new ListenAddress(null, false, port);
            return true;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(null, true, port);
            return true;
        }
        if (IPAddress.TryParse(host, out var ip))
        {
            address = new ListenAddress(ip, false, port);
            return true;
        }
        error = $"The host in '{text}' must be empty, an IP address or 'localhost'; host names other than localhost cannot be bound.";
        return false;
    }

    public override string ToString() =>
        IsLocalhostName ? $"localhost:{Port}"
        : Address is null ? $":{Port}"
        : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}"
        : $"{Address}:{Port}";
}
