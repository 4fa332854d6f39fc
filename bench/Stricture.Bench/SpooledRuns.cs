using System.Security.Cryptography;
using System.Text;
using Stricture.Storage.Keys;

namespace Stricture.Bench;

/// <summary>One object as a run left it in the data directory: its key, bytes and SHA-256.</summary>
internal sealed record ObjectBytes(string Key, byte[] Content, string Sha256);

/// <summary>One seeded run: its spool entry's name and the one object the replicator conditionally creates for it, its record.</summary>
internal sealed record SpooledRun(string EntryName, ObjectBytes Record);

/// <summary>
/// The seeded runs in spool order, read back from the data directory once, so the raw PUT
/// baseline sends exactly the bytes the replicator copies (the record) under the same keys. Their spool entries were written by the product's spool into a held folder
/// outside the data directory; <see cref="Release"/> moves a slice of them (rename, same
/// filesystem, names and extended attributes kept) into the data directory's pending folder, where
/// the running replicator finds them as if ingest had just spooled them.
/// </summary>
internal sealed class SpooledRuns
{
    private readonly SpoolFolder _held;
    private readonly SpoolFolder _target;

    private SpooledRuns(SpoolFolder held, SpoolFolder target, IReadOnlyList<SpooledRun> runs)
    {
        _held = held;
        _target = target;
        Runs = runs;
    }

    public IReadOnlyList<SpooledRun> Runs { get; }

    public static SpooledRuns Load(string heldDataDirectory, string dataDirectory, RecordKeys keys)
    {
        var held = new SpoolFolder(heldDataDirectory);
        var runs = new List<SpooledRun>();
        foreach (var name in held.PendingNames())
        {
            var recordKey = File.ReadAllText(Path.Combine(held.Pending, name), Encoding.UTF8);
            if (!keys.TryParseRecord(recordKey, out _))
            {
                throw new InvalidDataException($"Spool entry {name} names '{recordKey}', which is not a record key.");
            }
            runs.Add(new SpooledRun(name, Read(dataDirectory, recordKey)));
        }
        return new SpooledRuns(held, new SpoolFolder(dataDirectory), runs);
    }

    /// <summary>Moves the spool entries of <paramref name="runs"/> into the data directory's pending folder, oldest first.</summary>
    public void Release(IEnumerable<SpooledRun> runs)
    {
        Directory.CreateDirectory(_target.Pending);
        foreach (var run in runs)
        {
            File.Move(Path.Combine(_held.Pending, run.EntryName), Path.Combine(_target.Pending, run.EntryName));
        }
    }

    private static ObjectBytes Read(string dataDirectory, string key)
    {
        var content = File.ReadAllBytes(Path.Combine(dataDirectory, key));
        return new ObjectBytes(key, content, Convert.ToHexStringLower(SHA256.HashData(content)));
    }
}
