namespace Stricture.Ingest.Configuration;

/// <summary>
/// What the server does with an organization, project, service or run_id outside the identifier
/// grammar: <c>strict</c> (the default) refuses it with a 400; <c>normalize</c> first applies the
/// upstream Go server's rule (Stricture.Storage.Identity.UpstreamIdentifier), as its clients expect,
/// then the grammar, so "Acme Inc" is stored as "acme-inc".
/// </summary>
public sealed class IdentifierOptions
{
    public const string ModeSetting = "STRICTURE_SERVER_IDENTIFIERS";

    public const string Strict = "strict";

    public const string Normalize = "normalize";

    public static readonly string[] Modes = [Strict, Normalize];

    [ConfigurationKeyName(ModeSetting)]
    public string Mode { get; set => field = value.ToLowerInvariant(); } = Strict;

    public bool Normalizes => Mode == Normalize;
}
