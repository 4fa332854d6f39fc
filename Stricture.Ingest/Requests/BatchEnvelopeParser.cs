using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Stricture.Ingest.Problems;
using Stricture.Storage.Records;

namespace Stricture.Ingest.Requests;

/// <summary>
/// Splits a POST /v1/artifacts/batch body, <c>{"items": [&lt;artifact post&gt;, ...]}</c>, into its
/// items' bytes, each a slice of the body, without reading inside them: each item is then parsed
/// exactly as a single post's body is (<see cref="SubmissionParser"/>), so its problems are a single
/// post's. Only the envelope is judged here: not an object, another field, no <c>items</c> array,
/// none or more than <see cref="MaxItems"/> items, or malformed JSON anywhere is one 400 for the batch.
/// </summary>
internal static class BatchEnvelopeParser
{
    public const int MaxItems = 100;

    public static bool TryParse(
        ReadOnlySequence<byte> body, [NotNullWhen(true)] out List<ReadOnlySequence<byte>>? items, [NotNullWhen(false)] out RequestProblem? problem)
    {
        items = null;
        if (!Utf8Validation.IsValid(body))
        {
            problem = RequestProblem.BadRequest("invalid-utf8", "The request body is not valid UTF-8.");
            return false;
        }
        try
        {
            (items, problem) = Parse(body);
        }
        catch (JsonException exception)
        {
            problem = RequestProblem.BadRequest("invalid-json", $"The request body is not valid JSON: {exception.Message}");
        }
        return items is not null;
    }

    private static (List<ReadOnlySequence<byte>>?, RequestProblem?) Parse(ReadOnlySequence<byte> body)
    {
        // Two levels deeper than a single post: the envelope object and its array.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = JsonLimits.MaxDepth + 2 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail("invalid-batch", "The request body must be a JSON object: {\"items\": [<artifact post>, ...]}.", null);
        }
        List<ReadOnlySequence<byte>>? items = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonStrings.Read(ref reader);
            if (name != "items")
            {
                return Fail("unknown-field", $"'{name}' is not a field of a batch; its one field is 'items'.", name);
            }
            if (items is not null)
            {
                return Fail("duplicate-property", "The field 'items' appears more than once.", "items");
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return Fail("invalid-batch", "'items' must be an array of artifact posts.", "items");
            }
            items = [];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (items.Count == MaxItems)
                {
                    return Fail("too-many-items", $"A batch holds at most {MaxItems} items; split it into several batches.", "items");
                }
                var start = reader.TokenStartIndex;
                reader.Skip();
                items.Add(body.Slice(start, reader.BytesConsumed - start));
            }
        }
        // Reading past the end makes the reader reject anything after the object.
        reader.Read();
        if (items is null || items.Count == 0)
        {
            return Fail("invalid-batch", $"'items' is required: an array of 1 to {MaxItems} artifact posts.", "items");
        }
        return (items, null);
    }

    private static (List<ReadOnlySequence<byte>>?, RequestProblem?) Fail(string code, string detail, string? field) =>
        (null, RequestProblem.BadRequest(code, detail, field));
}
