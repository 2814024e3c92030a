using StarNet.Cli.Commands;

namespace StarNet.Cli.Tests.Commands;

/// <summary>The parser's errors and the tool's help, independent of any one command's work.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("unknown command 'starnet data frob'", "data", "frob")]
    [InlineData("unknown option '--nope' for 'starnet data info'", "data", "info", "x", "--nope")]
    [InlineData("unknown option '-x' for 'starnet data info'", "data", "info", "x", "-x")]
    [InlineData("option --samples needs a value (N)", "data", "info", "x", "--samples")]
    [InlineData("option --samples: 'many' is not a whole number", "data", "info", "x", "--samples", "many")]
    [InlineData("option --samples: 0 is out of range (at least 1)", "data", "info", "x", "--samples=0")]
    [InlineData("option --samples is given more than once", "data", "info", "x", "--samples", "1", "--samples", "2")]
    public void Are_one_line_with_exit_code_2(string fragment, params string[] args) =>
        CliRunner.Run(args).AssertOneLineError(ExitCodes.Usage, fragment);

    [Fact]
    public void No_arguments_prints_the_overview_and_exits_2()
    {
        CliResult result = CliRunner.Run();
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("usage: starnet COMMAND", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public void Overall_help_lists_every_command(string flag)
    {
        CliResult result = CliRunner.Run(flag).AssertSuccess();
        foreach (string command in CommandNames)
        {
            Assert.Contains($"  {command} ", result.Out, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> CommandNames => new(Cli.CommandNames);

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Every_command_has_help_with_usage_options_and_an_example(string command)
    {
        string[] words = command.Split(' ');
        foreach (string[] args in new string[][] { [.. words, "--help"], [.. words, "-h"], ["help", .. words] })
        {
            CliResult result = CliRunner.Run(args).AssertSuccess();
            Assert.StartsWith($"starnet {command}: ", result.Out, StringComparison.Ordinal);
            Assert.Contains($"usage: starnet {command}", result.Out, StringComparison.Ordinal);
            Assert.Contains("--help", result.Out, StringComparison.Ordinal);
            Assert.Contains($"  starnet {command}", result.Out[result.Out.IndexOf("example", StringComparison.Ordinal)..], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_runtime_failure_is_exit_1_and_verbose_adds_the_stack_trace()
    {
        CliRunner.Run("data", "info", "/no/such/folder").AssertOneLineError(ExitCodes.Failure, "/no/such/folder: no such file or folder");

        CliResult verbose = CliRunner.Run("data", "info", "/no/such/folder", "--verbose");
        Assert.Equal(ExitCodes.Failure, verbose.ExitCode);
        Assert.StartsWith("starnet: error: /no/such/folder", verbose.Err, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_one_line()
    {
        CliResult result = CliRunner.Run("--version").AssertSuccess();
        Assert.Matches(@"^starnet \d+\.\d+\.\d+\s*$", result.Out);
    }
}
