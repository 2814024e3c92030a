namespace StarNet.PerfCompare.Tests;

/// <summary>The command line on the synthetic exports in Fixtures/ (shaped like real BenchmarkDotNet 0.15.8 exports).</summary>
public class ProgramTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name + "-report-full.json");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_run_compared_with_itself_has_no_regression()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("base"));
        Assert.Equal(0, code);
        Assert.Contains("0 regression(s), 0 improvement(s), 1 unchanged, among 1 tested case(s) of ours", output);
    }

    [Fact]
    public void A_thirty_percent_slowdown_of_ours_is_a_regression_with_exit_code_1()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("slower"));
        Assert.Equal(1, code);
        Assert.Contains("REGRESSION: GemmBenchmarks.Gemm(Precision=float, Threads=1, Shape=sq512, Implementation=StarNet) is 30.0% slower", output);
        Assert.Contains("**SLOWER**", output);
        Assert.DoesNotContain("but its peer slowed down", output);
    }

    [Fact]
    public void The_same_slowdown_is_an_improvement_the_other_way_round()
    {
        (int code, string output, _) = Run("compare", Fixture("slower"), Fixture("base"));
        Assert.Equal(0, code);
        Assert.Contains("improvement: GemmBenchmarks.Gemm(Precision=float, Threads=1, Shape=sq512, Implementation=StarNet)", output);
    }

    [Fact]
    public void A_peer_that_moved_is_a_noise_note_not_a_failure()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("noisy"));
        Assert.Equal(0, code);
        Assert.Contains("slower (peer)", output);
        Assert.Contains("the machine was probably busier", output);
    }

    [Fact]
    public void A_change_matched_by_the_peer_is_still_reported_but_blamed_on_load()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("loaded"));
        Assert.Equal(1, code);
        Assert.Contains("but its peer slowed down about as much (vs peer 1.000)", output);

        (code, output, _) = Run("compare", Fixture("loaded"), Fixture("base"));
        Assert.Equal(0, code);
        Assert.Contains("but its peer sped up about as much (vs peer 1.000)", output);
    }

    [Fact]
    public void Runs_from_another_machine_and_instruction_set_are_refused()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("other-machine"));
        Assert.Equal(2, code);
        Assert.Contains("REFUSED", output);
        Assert.Contains("engine active instruction set: 'Vector256' vs 'Vector512'", output);
        Assert.Contains("processor (BenchmarkDotNet): 'AMD EPYC' vs 'Intel Xeon Platinum 8375C'", output);
        Assert.DoesNotContain("## Results", output);
    }

    [Fact]
    public void Force_compares_anyway_and_says_so_loudly()
    {
        (int code, string output, _) = Run("compare", Fixture("base"), Fixture("other-machine"), "--force");
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split("FORCED COMPARISON OF INCOMPARABLE RUNS").Length - 1);
        Assert.Contains("## Results", output);
    }

    [Fact]
    public void Summary_shows_gflops_and_the_speed_relative_to_the_peer()
    {
        (int code, string output, _) = Run("summary", Fixture("base"));
        Assert.Equal(0, code);
        Assert.Contains("x OpenBLAS", output);

        // sq512: 2 * 512^3 flops; StarNet median 10.02 ms -> 26.79 GFLOP/s; OpenBLAS 7.014 ms -> 0.700 of its speed.
        string row = output.Split('\n').Single(l => l.Contains("| StarNet "));
        Assert.Contains(" 10.02 ms |", row);
        Assert.Contains(" 26.79 |", row);
        Assert.EndsWith(" 0.700 |", row.TrimEnd());
    }

    [Fact]
    public void A_folder_is_searched_for_exports_and_the_report_can_be_written_to_a_file()
    {
        string dir = Directory.CreateTempSubdirectory("perfcompare").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "results"));
            File.Copy(Fixture("base"), Path.Combine(dir, "results", "x-report-full.json"));
            string report = Path.Combine(dir, "comparison.md");
            (int code, _, _) = Run("compare", dir, Fixture("slower"), "--out", report);
            Assert.Equal(1, code);
            Assert.Contains("REGRESSION", File.ReadAllText(report));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData]
    [InlineData("compare", "only-one")]
    [InlineData("frobnicate", "a", "b")]
    [InlineData("compare", "a", "b", "--threshold", "150%")]
    [InlineData("summary", "a", "--bogus")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        (int code, _, string err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("usage:", err);
    }

    [Fact]
    public void Missing_or_malformed_exports_exit_with_2()
    {
        Assert.Equal(2, Run("compare", "/nonexistent/base", Fixture("base")).Code);
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{ \"Title\": 1 }");
            (int code, _, string err) = Run("summary", file);
            Assert.Equal(2, code);
            Assert.Contains("not a BenchmarkDotNet full JSON export", err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("0.05", 0.05)]
    [InlineData("12.5%", 0.125)]
    public void Thresholds_parse_as_percent_or_fraction(string text, double expected)
    {
        Assert.True(Program.TryParseFraction(text, out double value));
        Assert.Equal(expected, value, 12);
    }
}
