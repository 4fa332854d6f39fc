using SharpFuzz;
using Stricture.Tests.Fuzz;

// Coverage-guided fuzzing of the request parser, the envelope writer and the problem writer, by hand
// (docs/reliability.md has the commands). The target is the suite's (Stricture.Tests/Fuzz): any
// exception it throws is a crash the fuzzer keeps. Instrument Stricture.Ingest.dll and
// Stricture.Storage.dll with the sharpfuzz tool first, or the fuzzer sees no coverage.
//
//   Stricture.Fuzz               AFL (afl-fuzz runs this process; input on stdin, forkserver by SharpFuzz)
//   Stricture.Fuzz --libfuzzer   libFuzzer (through libfuzzer-dotnet)
//   Stricture.Fuzz --replay DIR  runs every file of DIR once, uninstrumented: a crash's reproduction
if (args is ["--replay", var directory])
{
    foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
    {
        var outcome = IngestFuzzTarget.Run(File.ReadAllBytes(file));
        Console.WriteLine($"{Path.GetFileName(file)}: {outcome.Status} {outcome.Code}");
    }
    return 0;
}
if (args is ["--libfuzzer"])
{
    Fuzzer.LibFuzzer.Run(input => IngestFuzzTarget.Run(input));
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    IngestFuzzTarget.Run(buffer.ToArray());
});
return 0;
