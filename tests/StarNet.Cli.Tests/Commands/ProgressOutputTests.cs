using StarNet.Cli.Commands;
using StarNet.Cli.Progress;
using StarNet.Core.Tests.Data.Support;

namespace StarNet.Cli.Tests.Commands;

/// <summary>Progress is one redrawn line on a terminal and plain lines otherwise.</summary>
public sealed class ProgressOutputTests
{
    [Fact]
    public void Redirected_output_gets_one_plain_line_per_step()
    {
        CliResult result = CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--epochs", "2", "--plateau", "0").AssertSuccess();
        Assert.DoesNotContain('\r', result.Out);
        string[] steps = [.. result.Out.Split('\n').Where(l => l.StartsWith("layer ", StringComparison.Ordinal) && l.Contains("/2  epoch", StringComparison.Ordinal))];
        Assert.Equal(10, steps.Length); // 2 layers x (2 epochs x 2 steps + closing latent solve)
        Assert.StartsWith("layer 2/2  epoch 1/2  SL (latents)  layer mse ", steps[0], StringComparison.Ordinal);
        Assert.StartsWith("layer 1/2  epoch 2/2  SW (weights)", steps[^2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_terminal_gets_one_line_redrawn_with_a_bar()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Cli.Run(["train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--epochs", "1"], stdout, stderr, isTerminal: true, CancellationToken.None);
        Assert.Equal(0, code);
        string output = stdout.ToString();
        Assert.Contains("\r[", output, StringComparison.Ordinal);
        Assert.Contains("100% layer 1/2 epoch 1/1 SL mse ", output, StringComparison.Ordinal);
        Assert.All(output.Split('\r').Skip(1).Select(redrawn => redrawn.Split('\n')[0]), line => Assert.True(line.Length < 80, $"{line.Length} columns: {line}"));
        string drawn = output[output.IndexOf('\r', StringComparison.Ordinal)..];
        Assert.Contains("\n", drawn, StringComparison.Ordinal); // the redrawn line is ended before the summary
    }

    [Fact]
    public void A_cancelled_run_exits_130_and_writes_nothing()
    {
        using var temp = new TempFolder();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Cli.Run(["train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--report", temp.File("r")], stdout, stderr, isTerminal: false, cancel.Token);
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal("starnet: interrupted", stderr.ToString().Trim());
        Assert.False(Directory.Exists(temp.File("r")));
    }

    [Theory]
    [InlineData(0.0, "[...............]   0%")]
    [InlineData(0.5, "[########.......]  50%")]
    [InlineData(1.0, "[###############] 100%")]
    [InlineData(2.0, "[###############] 100%")]
    public void The_bar_is_fifteen_characters_and_a_percentage(double fraction, string expected) =>
        Assert.Equal(expected, StatusLine.Bar(fraction));

    [Fact]
    public void Passing_updates_are_dropped_when_redirected_and_throttled_on_a_terminal()
    {
        using var plain = new StringWriter();
        using (var line = new StatusLine(plain, isTerminal: false))
        {
            line.Update("passing", milestone: false);
            line.Update("kept", milestone: true);
        }

        Assert.Equal("kept" + Environment.NewLine, plain.ToString());

        using var terminal = new StringWriter();
        using (var line = new StatusLine(terminal, isTerminal: true))
        {
            line.Update("a long first line", milestone: true);
            line.Update("dropped", milestone: false);
            line.Update("short", milestone: true);
        }

        Assert.Equal("\ra long first line\rshort            " + Environment.NewLine, terminal.ToString());
    }
}
