using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Stricture.Bench;

/// <summary>
/// The RADOS Gateway's own request counters (<c>perf dump</c>, section <c>rgw</c>): every request it
/// served, those answered with an error (a 412 for a conditional create of an existing key, a 404 for
/// a missing manifest), GETs (HEADs included) and PUTs. The difference over a phase counts the S3
/// requests a side made per record, from the server's side, instead of inferring them from the code.
/// They count every client: on a shared server another session's requests land in them too, which
/// the raw PUT phases (whose own count is exact) expose.
/// </summary>
internal sealed record RgwCounters(long Requests, long Failed, long Gets, long Puts)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static RgwCounters operator -(RgwCounters after, RgwCounters before) =>
        new(after.Requests - before.Requests, after.Failed - before.Failed, after.Gets - before.Gets, after.Puts - before.Puts);

    public static RgwCounters operator +(RgwCounters a, RgwCounters b) =>
        new(a.Requests + b.Requests, a.Failed + b.Failed, a.Gets + b.Gets, a.Puts + b.Puts);

    public static readonly RgwCounters Zero = new(0, 0, 0, 0);

    /// <summary>
    /// The counters now, or null without an admin socket or when it does not answer. The Ceph admin
    /// socket protocol: the command as JSON and a NUL; the answer is a 4-byte big-endian length and JSON.
    /// A few milliseconds, so it is read between phases, never inside one.
    /// </summary>
    public static RgwCounters? Read(string? adminSocket)
    {
        if (adminSocket is null)
        {
            return null;
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            {
                ReceiveTimeout = (int)Timeout.TotalMilliseconds,
                SendTimeout = (int)Timeout.TotalMilliseconds,
            };
            socket.Connect(new UnixDomainSocketEndPoint(adminSocket));
            socket.Send(Encoding.ASCII.GetBytes("{\"prefix\":\"perf dump\"}\0"));
            var length = BinaryPrimitives.ReadInt32BigEndian(ReceiveExactly(socket, 4));
            using var json = JsonDocument.Parse(ReceiveExactly(socket, length));
            var rgw = json.RootElement.GetProperty("rgw");
            long Counter(string name) => rgw.GetProperty(name).GetInt64();
            return new RgwCounters(Counter("req"), Counter("failed_req"), Counter("get"), Counter("put"));
        }
        catch (Exception exception) when (exception is SocketException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var read = socket.Receive(buffer, received, count - received, SocketFlags.None);
            if (read == 0)
            {
                throw new IOException("The admin socket closed early.");
            }
            received += read;
        }
        return buffer;
    }
}
