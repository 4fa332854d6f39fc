namespace Stricture.Ingest.Auth;

/// <summary>
/// The scoped-token file, reloaded without a restart. Each lookup compares the file's stamp
/// (modification time, length and, for a symbolic link such as a Kubernetes ConfigMap mount, its
/// final target) with the loaded one: a few metadata system calls, no watcher, nothing else watched.
///
/// A file that cannot be read or parsed leaves the previous tokens in force (and is logged once
/// per change), so a half-written file never revokes every token; a deleted file revokes them all.
/// Replace the file atomically (write a new file, then rename it over the old one).
/// </summary>
internal sealed partial class ScopedTokenFile(string path, ILogger<ScopedTokenFile> logger)
{
    private readonly Lock _reload = new();
    private Loaded? _loaded;

    public IReadOnlyList<ScopedToken> Current()
    {
        var stamp = FileStamp.Of(path);
        var loaded = Volatile.Read(ref _loaded);
        if (loaded is not null && loaded.Stamp == stamp)
        {
            return loaded.Tokens;
        }
        lock (_reload)
        {
            loaded = _loaded;
            if (loaded is null || loaded.Stamp != stamp)
            {
                loaded = new Loaded(stamp, Load(stamp, loaded?.Tokens ?? []));
                Volatile.Write(ref _loaded, loaded);
            }
            return loaded.Tokens;
        }
    }

    /// <summary>Reads the file once, for the start-up check: every problem in it, or none.</summary>
    public static List<string> Check(string path)
    {
        try
        {
            return ScopedTokenDocument.Parse(File.ReadAllText(path), out _);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [$"it cannot be read: {exception.Message}"];
        }
    }

    private IReadOnlyList<ScopedToken> Load(FileStamp stamp, IReadOnlyList<ScopedToken> previous)
    {
        if (!stamp.Exists)
        {
            LogFileMissing(logger, path);
            return [];
        }
        try
        {
            var errors = ScopedTokenDocument.Parse(File.ReadAllText(path), out var tokens);
            if (errors.Count == 0)
            {
                LogFileLoaded(logger, path, tokens.Count);
                return tokens;
            }
            LogFileRejected(logger, path, string.Join(" ", errors));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFileRejected(logger, path, exception.Message);
        }
        return previous;
    }

    private sealed record Loaded(FileStamp Stamp, IReadOnlyList<ScopedToken> Tokens);

    private readonly record struct FileStamp(bool Exists, DateTime LastWriteUtc, long Length, string? Target)
    {
        public static FileStamp Of(string path)
        {
            try
            {
                var target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName;
                var file = new FileInfo(target ?? path);
                return file.Exists ? new FileStamp(true, file.LastWriteTimeUtc, file.Length, target) : default;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return default;
            }
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Scoped tokens loaded from {Path}: {Count} tokens")]
    private static partial void LogFileLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "The scoped-token file {Path} was not loaded; the previous tokens stay in force: {Problems}")]
    private static partial void LogFileRejected(ILogger logger, string path, string problems);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The scoped-token file {Path} is gone; no scoped token is accepted until it is back")]
    private static partial void LogFileMissing(ILogger logger, string path);
}
