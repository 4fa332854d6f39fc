using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Stricture.Ingest.Audit;
using Stricture.Storage.ObjectStore;

namespace Stricture.Ingest.Problems;

/// <summary>
/// The one place a storage failure below an endpoint becomes the answer a client can act on: 503
/// with Retry-After when the store is unreachable, 507 when the disk is full, 500
/// <c>integrity-failure</c> when stored bytes fail their hash. The wording says what happened to
/// the request: a post was not acknowledged (and may be retried safely), a read was not served.
/// Anything else is a bug, left to the default 500.
/// </summary>
internal sealed partial class StorageFailureHandler(ILogger<StorageFailureHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException or ConnectionResetException)
        {
            // The client's side of the connection (also IOExceptions), not storage.
            return false;
        }
        // The exception handler has cleared the endpoint; its feature keeps the one that failed.
        var posting = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<AuditedAsIngest>() is not null;
        if ((posting ? PostFailure(exception) : ReadFailure(exception)) is not { } problem)
        {
            return false;
        }
        if (posting)
        {
            LogStoreFailure(logger, exception);
        }
        else
        {
            LogReadFailure(logger, exception);
        }
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RequestProblem.RetryAfterSeconds;
        }
        context.Features.Get<IngestAuditFeature>()?.Reject(problem.Code);
        await problem.ToResult().ExecuteAsync(context);
        return true;
    }

    /// <summary>What a post that failed with <paramref name="exception"/> answers (also each item of a batch); null when it is not a storage failure.</summary>
    internal static RequestProblem? PostFailure(Exception exception) => exception switch
    {
        ObjectStoreUnavailableException => RequestProblem.StorageUnavailable(
            "The storage backend is unreachable; the post was not acknowledged. Retry later: posting the same run_id again is safe."),
        StorageFullException => new RequestProblem(StatusCodes.Status507InsufficientStorage, "insufficient-storage",
            "The server is out of storage.", "The data directory is full; the post was not acknowledged."),
        IOException or UnauthorizedAccessException => RequestProblem.StorageUnavailable(
            "The data directory could not be written; the post was not acknowledged. Retry later: posting the same run_id again is safe."),
        ObjectIntegrityException => RequestProblem.IntegrityFailure(
            "The record already stored for this run id does not match its recorded SHA-256; it was not served or acknowledged."),
        _ => null,
    };

    private static RequestProblem? ReadFailure(Exception exception) => exception switch
    {
        ObjectStoreUnavailableException => RequestProblem.StorageUnavailable("The storage backend is unreachable. Retry later."),
        ObjectIntegrityException integrity => RequestProblem.IntegrityFailure(
            $"The object '{integrity.Key}' does not match its recorded SHA-256; it was not served."),
        _ => null,
    };

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Storing a run record failed")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Error, Message = "Reading from storage failed")]
    private static partial void LogReadFailure(ILogger logger, Exception exception);
}
