using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stricture.BareFunction;

/// <summary>
/// One create-if-absent PUT of the request body, with an S3 client configured as Stricture's
/// (checksums only when required, path style, one plain signed body): the least a first post must
/// do. The client is made on first use, as a function that does no start-up work would make it.
/// </summary>
internal static class BareObjectStore
{
    public const string BucketVariable = "BARE_S3_BUCKET";

    private static readonly Lazy<AmazonS3Client> Client = new(() => new AmazonS3Client(
        new BasicAWSCredentials(Environment.GetEnvironmentVariable("BARE_S3_ACCESS_KEY"), Environment.GetEnvironmentVariable("BARE_S3_SECRET_KEY")),
        new AmazonS3Config
        {
            ServiceURL = Environment.GetEnvironmentVariable("BARE_S3_ENDPOINT"),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        }));

    public static async Task<IResult> PutAsync(string key, HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        body.Position = 0;
        await Client.Value.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Environment.GetEnvironmentVariable(BucketVariable),
            Key = key,
            InputStream = body,
            ContentType = "application/json",
            IfNoneMatch = "*",
            UseChunkEncoding = false,
        }, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
