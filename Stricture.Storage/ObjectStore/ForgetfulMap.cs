using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// What a process remembers per key as a hint (a version it wrote, a run it indexed, how long a
/// compaction took): thread-safe, and bounded by forgetting everything once it holds
/// <see cref="MaxKeys"/>. Whatever uses it must be correct, only slower, when a key is forgotten.
/// </summary>
public sealed class ForgetfulMap<TValue>
{
    public const int MaxKeys = 16_384;

    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);

    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value) => _values.TryGetValue(key, out value);

    public bool Contains(string key) => _values.ContainsKey(key);

    public void Set(string key, TValue value)
    {
        if (_values.Count >= MaxKeys)
        {
            _values.Clear();
        }
        _values[key] = value;
    }

    public void Forget(string key) => _values.TryRemove(key, out _);
}
