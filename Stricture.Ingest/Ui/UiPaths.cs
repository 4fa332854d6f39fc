using Stricture.Storage.Identity;

namespace Stricture.Ingest.Ui;

/// <summary>The runs browser's addresses, in one place so that pages link to what the endpoints serve.</summary>
public static class UiPaths
{
    public const string Root = "/ui";
    public const string Stylesheet = "/ui/assets/stricture.css";
    public const string Login = "/ui/login";
    public const string Logout = "/ui/logout";

    public static string Organization(string organization) => $"/ui/orgs/{organization}";

    public static string DriftFeed(string organization) => $"/ui/orgs/{organization}/drift";

    public static string Service(string organization, string project, string service) => $"/ui/orgs/{organization}/{project}/{service}";

    public static string Service(ServiceIdentity service) => Service(service.Organization, service.Project, service.Service);

    public static string Run(string organization, string project, string service, string runId) =>
        $"{Service(organization, project, service)}/runs/{runId}";

    public static string Run(ServiceIdentity service, string runId) => Run(service.Organization, service.Project, service.Service, runId);

    public static string Payload(ServiceIdentity service, string runId) => $"{Run(service, runId)}/payload.json";
}
