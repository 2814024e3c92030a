namespace StarNet.Cli.Commands;

/// <summary>The exit codes of the <c>starnet</c> tool.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The work failed: a missing or malformed file, a network error, a model that cannot be trained.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown option, missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
