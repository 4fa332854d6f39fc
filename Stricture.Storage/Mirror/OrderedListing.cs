using System.Runtime.CompilerServices;
using Stricture.Storage.ObjectStore;

namespace Stricture.Storage.Mirror;

/// <summary>Every key under a prefix, in ordinal order, paging through <see cref="IObjectStore.ListAsync"/>.</summary>
internal static class OrderedListing
{
    public static async IAsyncEnumerable<string> KeysAsync(
        this IObjectStore store, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.ListAsync(prefix, token, 1000, cancellationToken);
            foreach (var key in page.Keys)
            {
                yield return key;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Walks two ordered listings side by side: yields every key of <paramref name="left"/> with
    /// whether <paramref name="right"/> has it too. Keys only on the right are skipped.
    /// </summary>
    public static async IAsyncEnumerable<(string Key, bool OnBothSides)> LeftJoinAsync(
        IAsyncEnumerable<string> left, IAsyncEnumerable<string> right, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var rightKeys = right.GetAsyncEnumerator(cancellationToken);
        var rightHas = await rightKeys.MoveNextAsync();
        await foreach (var key in left.WithCancellation(cancellationToken))
        {
            while (rightHas && string.CompareOrdinal(rightKeys.Current, key) < 0)
            {
                rightHas = await rightKeys.MoveNextAsync();
            }
            yield return (key, rightHas && rightKeys.Current == key);
        }
    }
}
