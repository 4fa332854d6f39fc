namespace Stricture.Cli.Auth;

/// <summary>No credential could be obtained; the message says what to change in the pipeline.</summary>
public sealed class CredentialException(string message) : Exception(message);
