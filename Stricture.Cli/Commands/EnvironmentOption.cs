using System.CommandLine;
using System.CommandLine.Parsing;

namespace Stricture.Cli.Commands;

/// <summary>
/// Options that fall back to an environment variable, so a CI file can set STRICTURE_* once for
/// every step. The command line wins; help shows the variable next to the option.
/// </summary>
public static class EnvironmentOption
{
    public static Option<string?> Text(string name, string variable, string description, Func<string, string?>? check = null)
    {
        var option = new Option<string?>(name)
        {
            Description = $"{description} [env: {variable}]",
            DefaultValueFactory = _ => Read(variable),
        };
        if (check is not null)
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string?>() is { } value && check(value) is { } problem)
                {
                    result.AddError($"{name}: {problem}");
                }
            });
        }
        return option;
    }

    public static Option<bool> Flag(string name, string variable, string description) => new(name)
    {
        Description = $"{description} [env: {variable}=true]",
        DefaultValueFactory = _ => IsTrue(Read(variable)),
    };

    public static Option<TimeSpan> Duration(string name, string variable, string description, TimeSpan fallback) => new(name)
    {
        Description = $"{description}: 90s, 2m, 1m30s... [env: {variable}]",
        DefaultValueFactory = result => ParseDuration(result, Read(variable), variable, fallback),
        CustomParser = result => ParseDuration(result, result.Tokens.Single().Value, name, fallback),
    };

    /// <summary>Repeatable KEY=VALUE; from the environment, one pair per line.</summary>
    public static Option<string[]> Pairs(string name, string variable, string description)
    {
        var option = new Option<string[]>(name)
        {
            Description = $"{description} [env: {variable}, one KEY=VALUE per line]",
            Arity = ArgumentArity.ZeroOrMore,
            DefaultValueFactory = _ => Read(variable)?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        };
        option.Validators.Add(result =>
        {
            foreach (var pair in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (pair.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"{name} '{pair}' must be KEY=VALUE.");
                }
            }
        });
        return option;
    }

    /// <summary>Adds an error naming the option and its variable when neither gave a value.</summary>
    public static void Require(Command command, Option<string?> option, string variable) =>
        command.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(Given(result, option) ?? Read(variable)))
            {
                result.AddError($"{option.Name} is required (or set {variable}).");
            }
        });

    /// <summary>
    /// The option's value when it is on the command line, else null. Command validators run before
    /// defaults are computed, so they read the variable themselves rather than the option's default.
    /// </summary>
    public static T? Given<T>(CommandResult result, Option<T> option) =>
        result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : default;

    /// <summary>Whether a flag is on, from the command line or its variable.</summary>
    public static bool IsOn(CommandResult result, Option<bool> option, string variable) =>
        Given(result, option) || IsTrue(Read(variable));

    private static bool IsTrue(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static string? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    private static TimeSpan ParseDuration(ArgumentResult result, string? text, string source, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }
        if (Cli.Duration.TryParse(text, out var duration))
        {
            return duration;
        }
        result.AddError($"{source} '{text}' is not a duration; write it as 90s, 2m or 1m30s.");
        return fallback;
    }
}
