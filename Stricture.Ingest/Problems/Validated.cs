using System.Diagnostics.CodeAnalysis;

namespace Stricture.Ingest.Problems;

/// <summary>
/// What an asynchronous check at the edge of a request gave: the value, or the problem to answer
/// with (never both). The synchronous checks use the TryParse shape instead.
/// </summary>
public readonly struct Validated<T> where T : class
{
    private readonly T? _value;
    private readonly RequestProblem? _problem;

    private Validated(T? value, RequestProblem? problem) => (_value, _problem) = (value, problem);

    public static implicit operator Validated<T>(T value) => new(value, null);

    public static implicit operator Validated<T>(RequestProblem problem) => new(null, problem);

    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out RequestProblem? problem)
    {
        (value, problem) = (_value, _problem);
        return value is not null;
    }
}
