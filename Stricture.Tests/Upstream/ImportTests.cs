using System.Net;
using System.Text.Json;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Upstream;

/// <summary>
/// <c>Stricture.Ingest import --from DIR</c> on a data directory of the upstream Go server, run as
/// the real process, on the filesystem driver and on the real S3 server; then read back through the
/// real HTTP API, which proves the catalog and the organisation's discovery objects were written too.
/// </summary>
public sealed class ImportTests
{
    [Fact]
    public async Task Import_on_the_filesystem_keeps_ids_and_times_renames_refused_names_skips_a_damaged_file_and_a_second_run_adds_nothing()
    {
        using var data = new TestDirectory();
        await RunScenarioAsync(data.Path, environment: [], settings: []);
    }

    [Fact]
    public async Task Import_on_the_S3_server_keeps_ids_and_times_renames_refused_names_skips_a_damaged_file_and_a_second_run_adds_nothing()
    {
        using var data = new TestDirectory();
        var s3 = await S3TestServer.GetAsync();
        var bucket = await s3.CreateBucketAsync();
        await RunScenarioAsync(data.Path, s3.IngestEnvironment(bucket), s3.IngestSettings(bucket));
    }

    [Fact]
    public async Task A_second_import_of_a_clean_directory_imports_nothing_says_so_and_exits_0()
    {
        using var data = new TestDirectory();
        using var go = new GoDataDirectory();
        go.AddRun("acme", "checkout", "gateway", "run-1", "2026-03-01T10:00:00Z");
        go.AddRun("acme", "checkout", "gateway", "run-2", "2026-03-01T11:00:00Z");

        var (first, firstOutput) = await ServiceProcess.RunCommandAsync(data.Path, "import", "--from", go.Path);
        var (second, secondOutput) = await ServiceProcess.RunCommandAsync(data.Path, "import", "--from", go.Path);

        Assert.True(first == 0, $"a clean import exits 0:\n{firstOutput}");
        Assert.Contains($"Imported 2 of 2 runs of {go.Path}: 0 already present, 0 renamed, 0 skipped.", firstOutput, StringComparison.Ordinal);
        Assert.True(second == 0, $"a repeated clean import exits 0:\n{secondOutput}");
        Assert.Contains($"Nothing to import: all 2 runs of {go.Path} are already present.", secondOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import --from")]
    [InlineData("import --from /nonexistent/upstream-data")]
    public async Task An_import_without_a_readable_directory_exits_1_saying_what_to_give(string command)
    {
        using var data = new TestDirectory();

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(data.Path, command.Split(' '));

        Assert.True(exitCode == 1, $"'{command}' must exit 1:\n{output}");
        Assert.Contains("import: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    private static async Task RunScenarioAsync(string dataDirectory, Dictionary<string, string> environment, Dictionary<string, string?> settings)
    {
        // 1. A Go data directory: four runs of three services, one of them written by an older upstream
        //    with names Stricture's grammar refuses, and one torn file.
        using var go = new GoDataDirectory();
        go.AddRun("acme", "checkout", "gateway", "run-1712", "2026-03-01T10:00:00Z",
            commitSha: "abc123", generatedAt: "2026-03-01T09:59:00+01:00", summary: "# Lineage");
        go.AddRun("acme", "checkout", "gateway", "run-1713", "2026-03-02T10:00:00Z", commitSha: "0123456789abcdef0123456789abcdef01234567", withDiff: true);
        go.AddRun("acme", "billing", "invoices", "run-9", "2026-03-03T08:00:00Z");
        go.AddRun("Acme Inc", "checkout", "gateway", "Run.7", "2026-03-04T00:00:00Z");
        go.Write("acme", "checkout", "gateway", "run-torn", "{\"organization\": \"acme\", \"proj");

        // 2. Import: every valid run is stored, the rename listed, the torn file skipped and reported; exit 2.
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(dataDirectory, environment, "import", "--from", go.Path);
        Assert.True(exitCode == 2, $"an import that skipped a file exits 2, not {exitCode}:\n{output}");
        Assert.Contains("renamed Acme Inc/checkout/gateway/Run.7/payload.json: organization 'Acme Inc' -> 'acme-inc', run_id 'Run.7' -> 'run-7'",
            output, StringComparison.Ordinal);
        Assert.Contains("skipped acme/checkout/gateway/run-torn/payload.json: not valid JSON", output, StringComparison.Ordinal);
        Assert.Contains($"Imported 4 of 5 runs of {go.Path}: 0 already present, 1 renamed, 1 skipped.", output, StringComparison.Ordinal);
        Assert.False(output.Contains('\r', StringComparison.Ordinal), "no progress line when the output is not a terminal");

        // 3. Again: nothing new, every run already present, the same rename and the same skip.
        var (again, againOutput) = await ServiceProcess.RunCommandAsync(dataDirectory, environment, "import", "--from", go.Path);
        Assert.True(again == 2, $"the damaged file is still skipped:\n{againOutput}");
        Assert.Contains($"Imported 0 of 5 runs of {go.Path}: 4 already present, 1 renamed, 1 skipped.", againOutput, StringComparison.Ordinal);

        // 4. Read back through the API: ids, received_at, generated_at and commits kept; the catalog and discovery know every run.
        await using var server = IngestServer.Start(settings, dataDirectory: dataDirectory);
        var run = await GetJsonAsync(server, "/v1/runs/acme/checkout/gateway/run-1712");
        Assert.Equal("run-1712", run.GetProperty("run_id").GetString());
        Assert.Equal("2026-03-01T10:00:00.0000000Z", run.GetProperty("received_at").GetString());
        Assert.Equal("2026-03-01T09:59:00+01:00", run.GetProperty("generated_at").GetString());
        Assert.Equal("abc123", run.GetProperty("commit_sha").GetString());
        Assert.Equal("# Lineage", run.GetProperty("summary").GetString());
        Assert.Equal("payment.status", run.GetProperty("artifact").GetProperty("field").GetString());

        var latest = await GetJsonAsync(server, "/v1/runs/acme/checkout/gateway/latest");
        Assert.True(latest.GetProperty("run_id").GetString() == "run-1713", $"the newest imported run is the latest: {latest}");
        var byCommit = await GetJsonAsync(server, "/v1/runs/acme/checkout/gateway?from=2026-03-01&to=2026-03-04&commit=ABC1");
        Assert.Equal(["run-1712"], byCommit.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var byReceivedDate = await GetJsonAsync(server, "/v1/runs/acme/billing/invoices?from=2026-03-03&to=2026-03-03");
        Assert.True(byReceivedDate.GetProperty("runs").GetArrayLength() == 1, "a run without generated_at is filed under the day it was received upstream");

        var services = await GetJsonAsync(server, "/v1/orgs/acme/services");
        Assert.Equal(["billing/invoices", "checkout/gateway"],
            services.GetProperty("services").EnumerateArray().Select(s => $"{s.GetProperty("project").GetString()}/{s.GetProperty("service").GetString()}"));
        var renamed = await GetJsonAsync(server, "/v1/runs/acme-inc/checkout/gateway/run-7");
        Assert.Equal("2026-03-04T00:00:00.0000000Z", renamed.GetProperty("received_at").GetString());
    }

    private static async Task<JsonElement> GetJsonAsync(IngestServer server, string path)
    {
        var response = await server.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonBodyAsync();
    }
}
