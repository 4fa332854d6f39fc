namespace Stricture.Storage.Identity;

/// <summary>Which service a run belongs to. Every part satisfies <see cref="IdentifierGrammar"/>.</summary>
public sealed record ServiceIdentity(string Organization, string Project, string Service)
{
    public RunIdentity WithRun(string runId) => new(this, runId);
}

/// <summary>One run of one service: the identity of a run record.</summary>
public sealed record RunIdentity(ServiceIdentity Service, string RunId);
