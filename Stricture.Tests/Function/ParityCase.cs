using System.Text.Json;

namespace Stricture.Tests.Function;

/// <summary>
/// One row of the parity table: the request (and any requests that set the scene first), all under
/// one service of their own, so rows neither see nor disturb each other's records. Requests are
/// built per mode from what that mode answered to the scene-setting requests (an ETag, a cursor).
/// <see cref="Status"/> is what both must answer: equal answers that are both wrong prove nothing.
/// </summary>
public sealed record ParityCase(
    string Name,
    string Service,
    int Status,
    Func<ParityScene, HttpRequestMessage> Request,
    IReadOnlyList<Func<ParityScene, HttpRequestMessage>> Setup)
{
    /// <summary>Text both answers must contain (or headers, for an envelope answer), for cases whose point is a value such as a gate decision.</summary>
    public string? Expect { get; init; }

    public override string ToString() => Name;
}

/// <summary>What one mode answered to a case's scene-setting requests, in order.</summary>
public sealed class ParityScene(string otherOrganizationToken)
{
    /// <summary>A scoped token that grants only organization "other" (the cases use "acme").</summary>
    public string OtherOrganizationToken { get; } = otherOrganizationToken;

    public List<CapturedResponse> Responses { get; } = [];

    public CapturedResponse Last => Responses[^1];
}

/// <summary>A response reduced to what a client sees: status, headers, the body (decompressed when gzip).</summary>
public sealed record CapturedResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
