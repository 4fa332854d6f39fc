using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stricture.Ingest.Requests;
using Stricture.Storage.Identity;
using Stricture.Storage.ObjectStore;

namespace Stricture.Tests.Properties;

/// <summary>
/// The identifier grammar and the request parser agree, and nothing is normalised: a post's
/// organization, project, service or run_id is either stored exactly as sent or refused with a
/// 400 that names the field; never lower-cased, trimmed or otherwise renamed.
/// </summary>
public sealed class IdentifierGrammarProperties
{
    private static readonly string[] IdentifierFields = ["organization", "project", "service", "run_id"];

    [Property(Replay = Generators.Seed, MaxTest = 500)]
    public Property Every_identifier_of_the_grammar_is_accepted_and_is_a_safe_key_segment() =>
        Prop.ForAll(Arb.From(Generators.Identifier), identifier =>
        {
            Assert.True(IdentifierGrammar.Explain("run_id", identifier) is null, $"'{identifier}' is in the grammar and must be accepted");
            Assert.True(ObjectKeyRules.IsValid($"run={identifier}"), $"'{identifier}' must make a valid key segment");
            Assert.False(identifier is "." or "..", "no identifier may name a directory step");
        });

    [Property(Replay = Generators.Seed, MaxTest = 500)]
    public Property A_string_the_grammar_accepts_is_already_in_normal_form() =>
        Prop.ForAll(Arb.From(Generators.NearIdentifier), value =>
        {
            if (IdentifierGrammar.Explain("service", value) is null)
            {
                Assert.True(value == value.ToLowerInvariant() && value == value.Trim() && value == value.Normalize(NormalizationForm.FormKC),
                    $"'{value}' was accepted, so it must be lower case, trimmed and NFKC-normal: there is no second spelling of it");
                Assert.True(value.Length is > 0 and <= IdentifierGrammar.MaxLength, $"'{value}' was accepted at length {value.Length}");
            }
        });

    [Property(Replay = Generators.Seed, MaxTest = 500)]
    public Property A_posted_identifier_is_stored_as_sent_or_refused_naming_its_field() => Prop.ForAll(
        Arb.From(Generators.NearIdentifier.Zip(Gen.Elements(IdentifierFields), (value, field) => (value, field))),
        input =>
        {
            var post = new Dictionary<string, object> { ["organization"] = "acme", ["project"] = "checkout", ["service"] = "api", ["artifact"] = new { } };
            post[input.field] = input.value;
            var body = JsonSerializer.SerializeToUtf8Bytes(post);

            SubmissionParser.TryParse(new ReadOnlySequence<byte>(body), out var submission, out var problem);

            var grammar = IdentifierGrammar.Explain(input.field, input.value);
            if (grammar is null && input.value != IdentifierGrammar.ReservedRunId)
            {
                Assert.True(submission is not null, $"'{input.value}' is valid for {input.field} but was refused: {problem?.Detail}");
                var stored = input.field switch
                {
                    "organization" => submission.Service.Organization,
                    "project" => submission.Service.Project,
                    "service" => submission.Service.Service,
                    _ => submission.RunId,
                };
                Assert.True(stored == input.value, $"{input.field} '{input.value}' must be kept as sent, not renamed to '{stored}'");
            }
            else
            {
                Assert.True(submission is null, $"{input.field} '{input.value}' is outside the grammar and must be refused");
                Assert.True(problem is { Status: 400, Code: "invalid-identifier" or "reserved-run-id" } && problem.Field == input.field,
                    $"{input.field} '{input.value}' must be a 400 naming the field, got {problem?.Status} {problem?.Code} on {problem?.Field}");
            }
        });
}
