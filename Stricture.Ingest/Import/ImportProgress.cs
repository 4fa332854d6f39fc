using System.Diagnostics;

namespace Stricture.Ingest.Import;

/// <summary>
/// A progress line rewritten in place ("import: 1200 of 3000 runs"), at most a few times a second,
/// only when standard output is a terminal: piped or logged output gets the summary alone.
/// </summary>
internal sealed class ImportProgress : IProgress<int>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly int _total;
    private long _lastWrite;
    private bool _written;

    private ImportProgress(int total) => _total = total;

    /// <summary>A progress line on the console, or null when standard output is not a terminal.</summary>
    public static ImportProgress? ForConsole(int total) => Console.IsOutputRedirected ? null : new ImportProgress(total);

    public void Report(int done)
    {
        if (done < _total && Stopwatch.GetElapsedTime(_lastWrite) < Interval)
        {
            return;
        }
        _lastWrite = Stopwatch.GetTimestamp();
        _written = true;
        Console.Write($"\r{ImportCommand.Name}: {done} of {_total} runs");
    }

    /// <summary>Ends the progress line, so what follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (_written)
        {
            Console.WriteLine();
            _written = false;
        }
    }

    public void Dispose() => Finish();
}
