namespace StarNet.Cli.Commands;

/// <summary>
/// The command line is wrong (unknown option, missing or malformed value, missing argument): the tool prints the
/// message as one line and exits with <see cref="ExitCodes.Usage"/>.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
