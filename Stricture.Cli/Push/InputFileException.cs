namespace Stricture.Cli.Push;

/// <summary>A file given to push cannot be sent as it is; the message names the file and, for JSON, the position.</summary>
public sealed class InputFileException(string message) : Exception(message);
