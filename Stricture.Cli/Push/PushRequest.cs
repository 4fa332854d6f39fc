namespace Stricture.Cli.Push;

/// <summary>Everything one push sends, resolved from options, environment and CI: the fields of POST /v1/artifacts.</summary>
public sealed record PushRequest(
    string Organization,
    string Project,
    string Service,
    string RunId,
    string? CommitSha,
    string? GeneratedAt,
    byte[] Artifact,
    byte[]? Diff,
    string? Summary,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
