using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Filesystem;

/// <summary>
/// How a committed file reaches its key: after its log record's flush, the staged file is moved (or
/// linked) into place, or swapped with the old one; a key's directory is made only when missing.
/// </summary>
public sealed partial class FileSystemObjectStore
{
    /// <summary>Waits for the log record's flush, then moves the staged file into place (false when something is there).</summary>
    private async Task<bool> PutInPlaceWhenDurableAsync(CommitLog.LogAppend append, StagedObject staged, string target)
    {
        using (append)
        {
            await WhenDurableAsync(append);
            try
            {
                if (!PutInPlace(staged, target))
                {
                    return false;
                }
            }
            catch (IOException exception) when (DiskFull.Is(exception))
            {
                throw DiskFull.Exception(exception);
            }
        }
        staged.CommittedETag = staged.Sha256;
        return true;
    }

    /// <summary>Makes the target's directory when it is missing: one stat when it is there (no mkdir that fails).</summary>
    private static void EnsureDirectory(string target)
    {
        var directory = Path.GetDirectoryName(target)!;
        if (Directory.Exists(directory))
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException exception) when (DiskFull.Is(exception))
        {
            throw DiskFull.Exception(exception);
        }
    }

    /// <summary>
    /// Puts the staged file at <paramref name="target"/> unless something is there (false): moved there
    /// where the filesystem can rename without replacing, else linked there (its temp name then goes
    /// when the staged object is disposed). The directory is made only when the move finds it missing
    /// (not durably: a lost one is recreated from the log after a crash), so a post into an existing
    /// directory costs no <c>mkdir</c>.
    /// </summary>
    private bool PutInPlace(StagedObject staged, string target)
    {
        var temp = FileOf(staged);
        try
        {
            return TryPutInPlace(staged, temp, target);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            return TryPutInPlace(staged, temp, target);
        }
    }

    private bool TryPutInPlace(StagedObject staged, string temp, string target)
    {
        if (MovesIntoPlace && Posix.TryMoveNoReplace(temp, target) is { } moved)
        {
            if (moved)
            {
                staged.MarkMoved();
            }
            return moved;
        }
        MovesIntoPlace = false;
        if (!Posix.TryLink(temp, target))
        {
            return false;
        }
        staged.MarkLinked();
        return true;
    }

    /// <summary>
    /// Puts the staged file at <paramref name="target"/>, which exists, in one atomic step: swapped in,
    /// the old file recycled (<see cref="RecycledFiles.TrySwapIn"/>), else renamed over the old one.
    /// </summary>
    private void ReplaceKeepingOldFile(StagedObject staged, string target, long oldLength)
    {
        var temp = FileOf(staged);
        if (_recycled?.TrySwapIn(temp, target, oldLength) != true)
        {
            File.Move(temp, target, overwrite: true);
        }
        staged.MarkMoved();
    }

    /// <summary>This driver stages every object in a file (its commit is a move, a link, or a swap).</summary>
    private static string FileOf(StagedObject staged) =>
        staged.Moved ? throw new InvalidOperationException("A commit already took this staged file; stage the content again.")
        : staged.Path ?? throw new InvalidOperationException("The filesystem driver commits only content it staged itself, which has a file.");
}
