namespace Stricture.Function.Lambda;

/// <summary>
/// One invocation as the Lambda Runtime API hands it out (GET /runtime/invocation/next): the event
/// document and the headers that identify it.
/// </summary>
internal sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset? Deadline,
    string? TraceId,
    byte[] Event);
