namespace Stricture.Storage.BlastRadius;

/// <summary>
/// On a store with a single writer (this process, <see cref="ObjectStore.IObjectStore.HasSingleWriter"/>),
/// the entries of the systems classified lately, kept in step with every entry the index writes, so
/// classifying a diff lists and reads nothing for a system it has seen.
/// <para>
/// <b>Exact.</b> A view read from the store is kept only if no entry was written while it was read
/// (<see cref="Keep"/> against <see cref="WritesSoFar"/>), and every entry written after its commit
/// returns updates the view it belongs to (<see cref="Wrote"/>); a write that failed midway drops the
/// system's view (<see cref="Drop"/>), which the next classification reads again. Bounded like the
/// other hints: past <see cref="MaxEntries"/> entries everything is dropped.
/// </para>
/// </summary>
internal sealed class SystemViews
{
    public const int MaxEntries = 32_768;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, SystemEntry>> _bySystem = new(StringComparer.Ordinal);
    private int _entries;
    private long _writes;

    /// <summary>How many entries were written (or dropped) so far: taken before a system is read from the store.</summary>
    public long WritesSoFar
    {
        get
        {
            lock (_lock)
            {
                return _writes;
            }
        }
    }

    /// <summary>The entries of the system under <paramref name="prefix"/> (tombstones included), or null when it has no view.</summary>
    public List<SystemEntry>? TryGet(string prefix)
    {
        lock (_lock)
        {
            return _bySystem.TryGetValue(prefix, out var view) ? [.. view.Values] : null;
        }
    }

    /// <summary>Keeps a system's entries as read from the store, unless an entry was written since <paramref name="writesBefore"/>.</summary>
    public void Keep(string prefix, long writesBefore, IReadOnlyList<(string Key, SystemEntry Entry)> entries)
    {
        lock (_lock)
        {
            if (_writes != writesBefore || _bySystem.ContainsKey(prefix))
            {
                return;
            }
            if (_entries + entries.Count > MaxEntries)
            {
                _bySystem.Clear();
                _entries = 0;
            }
            _bySystem[prefix] = entries.ToDictionary(pair => pair.Key, pair => pair.Entry, StringComparer.Ordinal);
            _entries += entries.Count;
        }
    }

    /// <summary>An entry this process committed at <paramref name="key"/>: its system's view, if any, now holds it.</summary>
    public void Wrote(string prefix, string key, SystemEntry entry)
    {
        lock (_lock)
        {
            _writes++;
            if (_bySystem.TryGetValue(prefix, out var view))
            {
                _entries += view.TryAdd(key, entry) ? 1 : 0;
                view[key] = entry;
            }
        }
    }

    /// <summary>Forgets a system's view (a write to it failed, so what the store holds is not known).</summary>
    public void Drop(string prefix)
    {
        lock (_lock)
        {
            _writes++;
            if (_bySystem.Remove(prefix, out var view))
            {
                _entries -= view.Count;
            }
        }
    }
}
