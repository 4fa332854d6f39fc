namespace Stricture.Storage.Identity;

/// <summary>
/// Generates run ids for posts that carry none: a UUIDv7 in lowercase hex without dashes, so ids
/// sort by creation time (to the millisecond) and satisfy <see cref="IdentifierGrammar"/>.
/// </summary>
public static class RunIdGenerator
{
    public static string Next(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");
}
