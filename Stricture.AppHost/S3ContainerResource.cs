namespace Stricture.AppHost;

/// <summary>
/// An S3 server in a container that offers the connection string the services read
/// (<c>Endpoint=...;AccessKey=...;SecretKey=...</c>), so <c>WithReference</c> gives them
/// <c>ConnectionStrings__minio</c> exactly as an existing store named in configuration would.
/// </summary>
public sealed class S3ContainerResource(string name, ParameterResource accessKey, ParameterResource secretKey)
    : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the S3 API endpoint; the console is <see cref="ConsoleEndpointName"/>.</summary>
    public const string S3EndpointName = "s3";

    public const string ConsoleEndpointName = "console";

    public ParameterResource AccessKey { get; } = accessKey;

    public ParameterResource SecretKey { get; } = secretKey;

    public EndpointReference S3Endpoint => field ??= new EndpointReference(this, S3EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint={S3Endpoint.Property(EndpointProperty.Url)};AccessKey={AccessKey};SecretKey={SecretKey}");
}
