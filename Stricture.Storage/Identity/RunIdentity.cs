using System.Diagnostics.CodeAnalysis;

namespace Stricture.Storage.Identity;

/// <summary>
/// Which service a run belongs to. Built only through <see cref="TryCreate"/> (or
/// <see cref="Create"/>), so every part satisfies <see cref="IdentifierGrammar"/>: code holding a
/// <see cref="ServiceIdentity"/> never checks its parts again.
/// </summary>
public sealed record ServiceIdentity
{
    private ServiceIdentity(string organization, string project, string service) =>
        (Organization, Project, Service) = (organization, project, service);

    public string Organization { get; }

    public string Project { get; }

    public string Service { get; }

    /// <summary>The one way to make a service identity: checks the parts in order and names the first one that is invalid.</summary>
    public static bool TryCreate(
        string organization, string project, string service,
        [NotNullWhen(true)] out ServiceIdentity? identity, [NotNullWhen(false)] out IdentifierError? error)
    {
        identity = null;
        error = IdentifierError.Check("organization", organization)
                ?? IdentifierError.Check("project", project)
                ?? IdentifierError.Check("service", service);
        if (error is not null)
        {
            return false;
        }
        identity = new ServiceIdentity(organization, project, service);
        return true;
    }

    /// <summary>For names already checked at the edge (or written by this server): invalid ones are a bug, thrown as <see cref="FormatException"/>.</summary>
    public static ServiceIdentity Create(string organization, string project, string service) =>
        TryCreate(organization, project, service, out var identity, out var error) ? identity : throw new FormatException(error.Reason);

    public bool TryWithRun(string runId, [NotNullWhen(true)] out RunIdentity? run, [NotNullWhen(false)] out IdentifierError? error) =>
        RunIdentity.TryCreate(this, runId, out run, out error);

    public RunIdentity WithRun(string runId) =>
        TryWithRun(runId, out var run, out var error) ? run : throw new FormatException(error.Reason);
}

/// <summary>One run of one service: the identity of a run record. Built only through <see cref="ServiceIdentity.TryWithRun"/>.</summary>
public sealed record RunIdentity
{
    private RunIdentity(ServiceIdentity service, string runId) => (Service, RunId) = (service, runId);

    public ServiceIdentity Service { get; }

    public string RunId { get; }

    internal static bool TryCreate(
        ServiceIdentity service, string runId, [NotNullWhen(true)] out RunIdentity? run, [NotNullWhen(false)] out IdentifierError? error)
    {
        run = null;
        error = IdentifierError.CheckRunId(runId);
        if (error is not null)
        {
            return false;
        }
        run = new RunIdentity(service, runId);
        return true;
    }
}
