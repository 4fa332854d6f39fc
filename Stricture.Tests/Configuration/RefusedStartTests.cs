using System.Text.RegularExpressions;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Configuration;

/// <summary>
/// A setting the server refuses is the operator's mistake, not a crash: the real process prints
/// what is wrong, naming the variable, and exits 1, with no stack trace to dig the message out of.
/// </summary>
public sealed partial class RefusedStartTests
{
    private const string Issuer0 = "STRICTURE_SERVER_JWT_ISSUERS__0__";
    private const string Webhook = "STRICTURE_SERVER_WEBHOOKS__alerts__";

    public static TheoryData<string, string, string> BadSettings => new()
    {
        // setting=value;setting=value (environment variables, as an operator sets them), the variable the message must name, what is wrong
        { "STRICTURE_SERVER_STORAGE_DRIVER=floppy", "STRICTURE_SERVER_STORAGE_DRIVER", "an unknown driver" },
        { "STRICTURE_SERVER_MAX_BODY_BYTES=lots", "STRICTURE_SERVER_MAX_BODY_BYTES", "a number that is not a number" },
        { "STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS=0", "STRICTURE_SERVER_OBJECT_TIMEOUT_SECONDS", "a number out of its range" },
        { "STRICTURE_SERVER_AUTH_MODE=token", "STRICTURE_SERVER_INGEST_TOKEN", "token mode without a token" },
        { "STRICTURE_SERVER_IDENTIFIERS=loose", "STRICTURE_SERVER_IDENTIFIERS", "an unknown identifier mode" },
        { $"STRICTURE_SERVER_AUTH_MODE=jwt;{Issuer0}ISSUER=https://login.example.com;{Issuer0}SCOPES=acme/*", $"{Issuer0}AUDIENCE", "a JWT issuer without its audience" },
        { $"{Webhook}URL=http://hooks.example.com/stricture;{Webhook}SECRET=0123456789abcdef0123", $"{Webhook}ALLOW_PLAIN_HTTP", "a plain-http webhook beyond loopback" },
        { $"{Webhook}URL=https://hooks.example.com/stricture;{Webhook}SECRET=0123456789abcdef0123;{Webhook}MIN_SEVERITY=urgent", $"{Webhook}MIN_SEVERITY", "an unknown webhook severity" },
        { $"{Webhook}URL=https://hooks.example.com/stricture", $"{Webhook}SECRET", "a json webhook without a secret" },
        { "STRICTURE_SERVER_UI=maybe", "STRICTURE_SERVER_UI", "a runs-browser setting that is neither on nor off" },
        { "STRICTURE_SERVER_BLAST_RADIUS=no", "STRICTURE_SERVER_BLAST_RADIUS", "a blast-radius setting that is neither on nor off" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task The_server_refuses_a_bad_setting_with_one_message_naming_it_and_exit_code_1(string settings, string variable, string what)
    {
        using var data = new TestDirectory();
        var environment = settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, environment);

        Assert.True(exitCode == 1, $"{what}: the process must exit 1, not {exitCode}; it printed:\n{output}");
        Assert.True(output.Contains(variable, StringComparison.Ordinal), $"{what}: the message must name {variable}; it printed:\n{output}");
        Assert.False(StackFrame().IsMatch(output), $"{what}: a refused setting must not print a stack trace; it printed:\n{output}");
        Assert.False(output.Contains("Exception", StringComparison.Ordinal), $"{what}: a refused setting is not an exception to the operator; it printed:\n{output}");
    }

    [Fact]
    public async Task The_server_refuses_an_invalid_policy_file_with_one_line_naming_the_setting_the_file_and_its_line()
    {
        using var data = new TestDirectory();
        using var policies = new TestDirectory();
        var file = Path.Combine(policies.Path, "acme.yaml");
        File.WriteAllText(file, "policy_id: strict\ngate:\n  fail_on: critical\n");

        var (exitCode, output) = await ServiceProcess.RunExpectingRefusalAsync(data.Path, new Dictionary<string, string> { ["STRICTURE_SERVER_POLICY_DIR"] = policies.Path });

        Assert.True(exitCode == 1, $"the process must exit 1, not {exitCode}; it printed:\n{output}");
        Assert.True(output.Contains($"STRICTURE_SERVER_POLICY_DIR: {file}: line 3: gate.fail_on must be one of", StringComparison.Ordinal),
            $"the message must name the setting, the file and the line; it printed:\n{output}");
        Assert.False(StackFrame().IsMatch(output), $"a refused policy must not print a stack trace; it printed:\n{output}");
    }

    [Fact]
    public async Task The_replicator_refuses_a_bad_setting_the_same_way()
    {
        using var data = new TestDirectory();

        var (exitCode, output) = await ServiceProcess.RunReplicatorAsync(data.Path, new Dictionary<string, string>
        {
            ["STRICTURE_SERVER_STORAGE_DRIVER"] = "mirror",
            ["STRICTURE_SERVER_OBJECT_BUCKET"] = "lineage",
            ["STRICTURE_REPLICATOR_MAX_LAG_SECONDS"] = "0",
        });

        Assert.True(exitCode == 1, $"the replicator must exit 1, not {exitCode}; it printed:\n{output}");
        Assert.Contains("STRICTURE_REPLICATOR_MAX_LAG_SECONDS must be a whole number from 1 to 86400, not '0'.", output);
        Assert.False(StackFrame().IsMatch(output), $"a refused setting must not print a stack trace; it printed:\n{output}");
    }

    [Fact]
    public async Task The_reconcile_command_refuses_a_bad_setting_naming_it_and_exits_1()
    {
        using var data = new TestDirectory();

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(data.Path, "reconcile", "--STRICTURE_SERVER_STORAGE_DRIVER=floppy");

        Assert.True(exitCode == 1, $"reconcile must exit 1, not {exitCode}; it printed:\n{output}");
        Assert.Contains("reconcile: STRICTURE_SERVER_STORAGE_DRIVER must be one of 'fs', 's3', 'r2', 'mirror', not 'floppy'.", output);
        Assert.False(StackFrame().IsMatch(output), $"a refused setting must not print a stack trace; it printed:\n{output}");
    }

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
