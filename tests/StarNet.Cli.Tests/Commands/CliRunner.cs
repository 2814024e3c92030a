namespace StarNet.Cli.Tests.Commands;

/// <summary>Runs the tool in-process and keeps what it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    /// <summary>The lines written to standard error.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Asserts a failure with the given exit code and exactly one error line, which contains every fragment.</summary>
    public void AssertOneLineError(int exitCode, params string[] fragments)
    {
        Assert.Equal(exitCode, ExitCode);
        string line = Assert.Single(ErrLines);
        Assert.StartsWith("starnet: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Err, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, line, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts success, showing the error output when not.</summary>
    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Err}; stdout: {Out}");
        return this;
    }
}

internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Cli.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
