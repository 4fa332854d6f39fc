using System.CommandLine;
using Stricture.Cli;
using Stricture.Cli.Commands;

var root = new RootCommand("stricture: push lineage run records to a Stricture server from CI, and read them back.")
{
    PushCommand.Create(),
    ReadCommands.Latest(),
    ReadCommands.Runs(),
    ReadCommands.Get(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Invalid input exits 2, like every other input the server would refuse (docs/ci.md).
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"stricture: {error.Message}");
    }
    await Console.Error.WriteLineAsync("Run 'stricture --help' (or 'stricture <command> --help') for usage.");
    return ExitCodes.InvalidInput;
}
return await parse.InvokeAsync();
