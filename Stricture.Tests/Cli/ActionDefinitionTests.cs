using System.Text.RegularExpressions;
using Stricture.Tests.Infrastructure;

namespace Stricture.Tests.Cli;

/// <summary>action.yml stays in step with the tool: every push option is an input, handed to the tool as its variable.</summary>
public sealed partial class ActionDefinitionTests
{
    // Inputs that are about installing the tool, not options of push.
    private static readonly string[] InstallInputs = ["tool-version", "package-source", "setup-dotnet"];

    [Fact]
    public async Task Every_push_option_is_an_input_of_the_action_and_reaches_the_tool_as_its_variable()
    {
        var help = await StrictureTool.RunAsync(["push", "--help"]);
        // Each option's line in the help names its variable: "--server <server>  … [env: STRICTURE_SERVER_URL]".
        var variables = OptionLine().Matches(help.Stdout).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value);
        variables.Remove("json");
        var options = variables.Keys.ToHashSet();
        var action = await File.ReadAllTextAsync(Repository.Path("action.yml"));
        var inputsBlock = action[action.IndexOf("\ninputs:\n", StringComparison.Ordinal)..action.IndexOf("\noutputs:\n", StringComparison.Ordinal)];
        var inputs = InputName().Matches(inputsBlock).Select(match => match.Groups[1].Value).Except(InstallInputs).ToHashSet();

        Assert.True(options.Count >= 15, "push --help must list the options: " + help);
        Assert.Equal(options.Order(), inputs.Order());
        foreach (var input in inputs)
        {
            var variable = variables[input];
            Assert.True(action.Contains($"{variable}: ${{{{ inputs.{input} }}}}", StringComparison.Ordinal),
                $"the input '{input}' must reach the tool as {variable}");
        }
    }

    [GeneratedRegex(@"^\s+--([a-z-]+)\b.*\[env: (STRICTURE_[A-Z_]+)", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"^  ([a-z-]+):$", RegexOptions.Multiline)]
    private static partial Regex InputName();
}
