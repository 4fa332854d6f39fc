namespace Stricture.Tests.Function;

/// <summary>
/// With STRICTURE_SERVER_IDENTIFIERS=normalize, function mode renames, answers and stores like the
/// server: the same 202 body with the names as stored, the same objects under the same keys.
/// </summary>
public sealed class NormalizedIdentifierParityTests(NormalizingParityModes modes) : IClassFixture<NormalizingParityModes>
{
    [Theory]
    [MemberData(nameof(ParityCases.NormalizedNames), MemberType = typeof(ParityCases))]
    public Task Function_mode_normalizes_identifiers_like_the_server(string name) =>
        ParityTests.AnswerAlikeAsync(modes, ParityCases.NormalizedIdentifiers.Single(c => c.Name == name));
}
