using Microsoft.Extensions.Options;
using Stricture.Function.Lambda;
using Stricture.Storage.Configuration;
using Stricture.Storage.S3;

namespace Stricture.Ingest.Function;

/// <summary>Function mode stores records only in an object store: an instance's disk is neither durable nor shared.</summary>
internal sealed class FunctionStorageValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) => options.Driver switch
    {
        StorageOptions.S3Driver or StorageOptions.R2Driver => ValidateOptionsResult.Success,
        StorageOptions.FileSystemDriver => ValidateOptionsResult.Fail(
            $"{StorageOptions.DriverSetting}=fs (the default) cannot be used in function mode " +
            $"({LambdaRuntimeRegistration.RuntimeApiVariable} is set): a function instance's disk is temporary and private to that " +
            "instance, so a record acknowledged there would be lost when Lambda discards the instance, and other instances would " +
            $"never see it. Set {StorageOptions.DriverSetting}=s3 (or r2) and {S3StoreSettings.BucketSetting}."),
        StorageOptions.MirrorDriver => ValidateOptionsResult.Fail(
            $"{StorageOptions.DriverSetting}=mirror cannot be used in function mode ({LambdaRuntimeRegistration.RuntimeApiVariable} " +
            "is set): mirror mode acknowledges a record once it is on local disk and leaves the upload to Stricture.Replicator, but a " +
            "function instance's disk is temporary and no replicator runs beside it. Set " +
            $"{StorageOptions.DriverSetting}=s3 (or r2): the function writes to the bucket directly."),
        // An unknown driver: StorageOptionsValidator names the valid ones.
        _ => ValidateOptionsResult.Success,
    };
}
