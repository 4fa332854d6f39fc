namespace Stricture.Cli.Http;

/// <summary>No answer other than a retryable failure came within --timeout.</summary>
public sealed class ServerUnavailableException(string message, int attempts) : Exception(message)
{
    public int Attempts { get; } = attempts;
}
