using System.Net.Sockets;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Cli;

/// <summary>stricture push and the read commands, run as a process against a real server on loopback.</summary>
public sealed class PushTests
{
    [Fact]
    public async Task Pushed_fixtures_are_read_back_byte_identical_through_the_read_api()
    {
        await using var server = IngestServer.Start();

        // 1. Push the export, the diff and the summary.
        var push = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "ci-20261122-0042",
            "--diff", CliFixtures.Diff, "--summary", CliFixtures.Summary, "--commit", "3F9A1C2E7B4D",
            "--generated-at", "2026-11-22T09:30:00Z", "--metadata", "pipeline=nightly", "--json"));
        Assert.True(push.ExitCode == 0, push.ToString());
        var accepted = JsonDocument.Parse(push.Stdout).RootElement;
        Assert.True(accepted.GetProperty("created").GetBoolean(), "the first push must store a new record");
        Assert.Equal(1, accepted.GetProperty("attempts").GetInt32());
        var location = accepted.GetProperty("location").GetString()!;
        Assert.Equal("stricture/v1/org=acme/project=checkout/service=payments-api/runs/run=ci-20261122-0042.json", location);

        // 2. Read it back with the tool: the stored record, byte for byte, as the 202 described it.
        var stored = await File.ReadAllBytesAsync(server.PathOf(location));
        var get = await StrictureTool.RunAsync(["get", "--server", server.BaseAddress.ToString(), "--organization", "acme",
            "--project", "checkout", "--service", "payments-api", "--run-id", "ci-20261122-0042", "--json"]);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(stored) + "\n", get.Stdout);
        Assert.Equal(accepted.GetProperty("sha256").GetString(), Posts.Sha256(stored));
        var latest = await StrictureTool.RunAsync(["latest", "--server", server.BaseAddress.ToString(), "--organization", "acme",
            "--project", "checkout", "--service", "payments-api", "--json"]);
        Assert.True(latest.Stdout == get.Stdout, "latest must be the same record: " + latest);

        // 3. Inside it, each file is exactly what was pushed: only insignificant whitespace and escapes normalised.
        var envelope = JsonDocument.Parse(stored).RootElement;
        Assert.Equal(CliFixtures.Compacted(CliFixtures.Artifact), envelope.GetProperty("artifact").GetRawText());
        Assert.Equal(CliFixtures.Compacted(CliFixtures.Diff), envelope.GetProperty("diff").GetRawText());
        Assert.Equal(await File.ReadAllTextAsync(CliFixtures.Summary), envelope.GetProperty("summary").GetString());
        Assert.Equal("3f9a1c2e7b4d", envelope.GetProperty("commit_sha").GetString());
        Assert.Equal("nightly", envelope.GetProperty("metadata").GetProperty("pipeline").GetString());

        // 4. And the listing names it, one line per run.
        var runs = await StrictureTool.RunAsync(["runs", "--server", server.BaseAddress.ToString(), "--organization", "acme",
            "--project", "checkout", "--service", "payments-api", "--from", "2026-11-20", "--to", "2026-11-22"]);
        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Equal("ci-20261122-0042\t2026-11-22T09:30:00.0000000Z\t3f9a1c2e7b4d\n", runs.Stdout);
    }

    [Fact]
    public async Task An_identical_re_push_exits_0_and_reports_already_stored()
    {
        await using var server = IngestServer.Start();
        var first = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-1", "--diff", CliFixtures.Diff));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("accepted: run run-1 at stricture/v1/org=acme/", first.Stdout);

        var again = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-1", "--diff", CliFixtures.Diff));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith("already stored: run run-1 at stricture/v1/org=acme/", again.Stdout);
        Assert.Equal(first.Stdout.Split(" at ")[1], again.Stdout.Split(" at ")[1]);
    }

    [Fact]
    public async Task Different_content_with_the_same_run_id_exits_3_and_prints_the_existing_location()
    {
        await using var server = IngestServer.Start();
        var first = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-1", "--json"));
        var location = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("location").GetString()!;

        var other = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-1", "--diff", CliFixtures.Diff));

        Assert.True(other.ExitCode == 3, other.ToString());
        Assert.Contains($"conflict: run run-1 is already stored with other content at {location}", other.Stderr);
        Assert.False((await File.ReadAllTextAsync(server.PathOf(location))).Contains("\"diff\"", StringComparison.Ordinal),
            "the stored record must be the first push's, untouched");
    }

    [Fact]
    public async Task A_malformed_file_exits_2_naming_the_file_and_position_before_any_request()
    {
        using var directory = new TestDirectory();
        var artifact = CliFixtures.Write(directory, "lineage-export.json", "{\n  \"kind\": \"lineage-export\",\n  \"nodes\": [1, 2,]\n}\n");
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var server = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}");

            var push = await StrictureTool.RunAsync(StrictureTool.PushFile(server, "run-1", artifact));

            Assert.True(push.ExitCode == 2, push.ToString());
            Assert.Contains($"artifact file '{artifact}' is not valid JSON at line 3, column 18: The JSON array contains a trailing comma at the end.", push.Stderr);
            Assert.False(listener.Pending(), "no connection may be made for a file that cannot be sent");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task An_abbreviated_upper_case_commit_of_four_characters_is_pushed_and_stored_lower_case()
    {
        await using var server = IngestServer.Start();

        var push = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-short-sha", "--commit", "ABC1", "--json"));

        Assert.True(push.ExitCode == 0, push.ToString());
        var location = JsonDocument.Parse(push.Stdout).RootElement.GetProperty("location").GetString()!;
        var envelope = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf(location))).RootElement;
        Assert.Equal("abc1", envelope.GetProperty("commit_sha").GetString());
    }

    [Fact]
    public async Task The_body_is_sent_gzip_compressed_when_that_is_smaller()
    {
        var arrivals = new ArrivingRequests();
        await using var server = IngestServer.Start(services: arrivals.Register);

        var push = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-gzip", "--diff", CliFixtures.Diff));

        Assert.True(push.ExitCode == 0, push.ToString());
        var arrival = Assert.Single(arrivals.Posts);
        Assert.Equal("gzip", arrival.ContentEncoding);
        var uncompressed = new FileInfo(CliFixtures.Artifact).Length + new FileInfo(CliFixtures.Diff).Length;
        Assert.True(arrival.BytesOnTheWire < uncompressed / 2,
            $"{arrival.BytesOnTheWire} bytes arrived for {uncompressed} bytes of JSON: the body was not compressed");
    }

    [Fact]
    public async Task A_push_set_up_only_through_STRICTURE_variables_is_accepted()
    {
        await using var server = IngestServer.Start();
        var environment = new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_URL"] = server.BaseAddress.ToString(),
            ["STRICTURE_ORGANIZATION"] = "acme",
            ["STRICTURE_PROJECT"] = "checkout",
            ["STRICTURE_SERVICE"] = "payments-api",
            ["STRICTURE_ARTIFACT"] = CliFixtures.Artifact,
            ["STRICTURE_DIFF"] = CliFixtures.Diff,
            ["STRICTURE_RUN_ID"] = "from-the-environment",
            ["STRICTURE_COMMIT"] = "abcdef1234567",
            ["STRICTURE_GENERATED_AT"] = "2026-11-22T09:30:00+01:00",
            ["STRICTURE_METADATA"] = "pipeline=nightly\nowner=team-payments\n",
            ["STRICTURE_TIMEOUT"] = "30s",
            ["STRICTURE_JSON"] = "true",
        };

        var push = await StrictureTool.RunAsync(["push"], environment);

        Assert.True(push.ExitCode == 0, push.ToString());
        var location = JsonDocument.Parse(push.Stdout).RootElement.GetProperty("location").GetString()!;
        Assert.EndsWith("/runs/run=from-the-environment.json", location);
        var envelope = JsonDocument.Parse(await File.ReadAllBytesAsync(server.PathOf(location))).RootElement;
        Assert.Equal("abcdef1234567", envelope.GetProperty("commit_sha").GetString());
        Assert.Equal("2026-11-22T09:30:00+01:00", envelope.GetProperty("generated_at").GetString());
        Assert.Equal("""{"pipeline":"nightly","owner":"team-payments"}""", envelope.GetProperty("metadata").GetRawText());
        Assert.True(envelope.TryGetProperty("diff", out _), "STRICTURE_DIFF must be sent");
    }

    [Fact]
    public async Task A_refused_token_exits_4_after_a_single_attempt()
    {
        await using var server = IngestServer.Start(new Dictionary<string, string?>
        {
            ["STRICTURE_SERVER_AUTH_MODE"] = "token",
            ["STRICTURE_SERVER_INGEST_TOKEN"] = "the-right-token-of-sufficient-length",
        });

        var push = await StrictureTool.RunAsync(StrictureTool.Push(server.BaseAddress, "run-1", "--json"),
            new Dictionary<string, string> { ["STRICTURE_TOKEN"] = "a-wrong-token" });

        Assert.True(push.ExitCode == 4, push.ToString());
        var answer = JsonDocument.Parse(push.Stdout).RootElement;
        Assert.Equal("invalid-token", answer.GetProperty("code").GetString());
        Assert.Equal(1, answer.GetProperty("attempts").GetInt32());
    }
}
