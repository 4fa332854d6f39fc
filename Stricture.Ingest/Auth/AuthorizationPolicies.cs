namespace Stricture.Ingest.Auth;

/// <summary>
/// The policies the API's route groups require. Each admits an authenticated caller (any mode but
/// none) and leaves which organizations and projects to <see cref="ProjectAuthorization"/>, asked
/// once the endpoint knows them.
/// </summary>
public static class AuthorizationPolicies
{
    /// <summary>Posting run records (POST /v1/artifacts).</summary>
    public const string WriteRuns = "write-runs";

    /// <summary>Reading run records (GET /v1/runs/...).</summary>
    public const string ReadRuns = "read-runs";
}
