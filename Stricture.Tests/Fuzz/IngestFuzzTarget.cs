using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Stricture.Ingest.Problems;
using Stricture.Ingest.Requests;
using Stricture.Storage.Records;

namespace Stricture.Tests.Fuzz;

/// <summary>
/// What one fuzzing input goes through, without a network or a disk: the request parser, then
/// either the envelope writer (what a store would persist) or the problem writer (the 4xx body a
/// client gets). Any exception is a finding: the parser must name every bad input, the envelope of
/// an accepted post must be valid JSON, and a problem must be a 4xx whose body says the same status
/// and code. Shared by the suite's short deterministic run (RequestFuzzTests) and the
/// long SharpFuzz runs by hand (bench/Stricture.Fuzz, docs/reliability.md).
/// </summary>
public static class IngestFuzzTarget
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    /// <summary>The outcome of one input: the status a client would get and the problem code, if any.</summary>
    public readonly record struct Outcome(int Status, string? Code);

    public static Outcome Run(ReadOnlySpan<byte> input)
    {
        var body = new ReadOnlySequence<byte>(input.ToArray());
        SubmissionParser.TryParse(body, out var submission, out var problem);
        if (submission is not null)
        {
            CheckEnvelope(submission);
            return new Outcome(StatusCodes.Status202Accepted, null);
        }
        if (problem is null)
        {
            throw new FuzzFinding("the parser returned neither a submission nor a problem");
        }
        CheckProblem(problem);
        return new Outcome(problem.Status, problem.Code);
    }

    private static void CheckEnvelope(RunSubmission submission)
    {
        var runId = submission.RunId ?? "generated";
        RunEnvelope.Fingerprint(submission, runId);
        using var stored = new MemoryStream();
        RunEnvelope.WriteAsync(stored, submission, runId, new RunEnvelope.ServerFields("2026-12-05T00:00:00.0000000Z", new string('0', 64)), CancellationToken.None)
            .GetAwaiter().GetResult();
        try
        {
            using var document = JsonDocument.Parse(stored.ToArray(), new JsonDocumentOptions { MaxDepth = JsonLimits.MaxDepth + 1 });
            if (!document.RootElement.TryGetProperty("artifact", out var artifact) || artifact.ValueKind != JsonValueKind.Object)
            {
                throw new FuzzFinding("an accepted post's envelope has no artifact object");
            }
        }
        catch (JsonException exception)
        {
            throw new FuzzFinding($"an accepted post's envelope is not valid JSON: {exception.Message}");
        }
    }

    private static void CheckProblem(RequestProblem problem)
    {
        if (problem.Status is < 400 or > 499 || string.IsNullOrEmpty(problem.Code) || string.IsNullOrEmpty(problem.Detail))
        {
            throw new FuzzFinding($"an input was refused imprecisely: {problem.Status} '{problem.Code}' '{problem.Detail}'");
        }
        var context = new DefaultHttpContext { RequestServices = Services };
        using var written = new MemoryStream();
        context.Response.Body = written;
        problem.ToResult().ExecuteAsync(context).GetAwaiter().GetResult();

        using var document = JsonDocument.Parse(written.ToArray());
        var root = document.RootElement;
        if (context.Response.StatusCode != problem.Status ||
            context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true ||
            root.GetProperty("status").GetInt32() != problem.Status ||
            root.GetProperty("code").GetString() != problem.Code ||
            root.GetProperty("type").GetString() != RequestProblem.TypePrefix + problem.Code ||
            root.GetProperty("detail").GetString() != problem.Detail)
        {
            throw new FuzzFinding($"the problem body does not say what was decided ({problem.Status} {problem.Code}): {root}");
        }
    }
}

/// <summary>An input broke a rule of <see cref="IngestFuzzTarget"/>.</summary>
public sealed class FuzzFinding(string message) : Exception(message);
