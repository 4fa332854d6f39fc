using System.Data.Common;

namespace Stricture.Storage.S3;

/// <summary>
/// The connection string the Aspire AppHost injects for MinIO (<c>ConnectionStrings__minio</c>):
/// <c>Endpoint=http://host:9000;AccessKey=...;SecretKey=...</c>.
/// </summary>
public sealed record S3ConnectionString(Uri Endpoint, string? AccessKey, string? SecretKey)
{
    public static bool TryParse(string text, out S3ConnectionString? connection, out string error)
    {
        connection = null;
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            error = "it is not a list of Key=Value pairs separated by ';'";
            return false;
        }
        if (!builder.TryGetValue("Endpoint", out var endpointValue) ||
            !Uri.TryCreate(endpointValue as string, UriKind.Absolute, out var endpoint) ||
            endpoint.Scheme is not ("http" or "https"))
        {
            error = "it needs Endpoint=http(s)://host:port";
            return false;
        }
        builder.TryGetValue("AccessKey", out var accessKey);
        builder.TryGetValue("SecretKey", out var secretKey);
        if ((accessKey is null) != (secretKey is null))
        {
            error = "AccessKey and SecretKey must be given together";
            return false;
        }
        connection = new S3ConnectionString(endpoint, accessKey as string, secretKey as string);
        error = "";
        return true;
    }
}
