namespace StarNet.PerfCompare.Tests;

public class ComparerTests
{
    // A deterministic +-2% spread, like a quiet machine's iteration times.
    private static readonly double[] Wiggle = [0.0, 0.012, -0.008, 0.019, -0.015, 0.004, -0.002, 0.009, -0.011, 0.016, -0.019, 0.007];

    private static BenchmarkResult Case(double centreNs, string implementation = "StarNet", int n = 12) => new(
        $"Ns.Type.Method(Shape: sq512, Implementation: \"{implementation}\")",
        "Type",
        "Method",
        [new("Shape", "sq512"), new("Implementation", implementation)],
        string.Empty,
        [.. Wiggle.Take(n).Select(w => centreNs * (1 + w))],
        null,
        null);

    [Theory]
    [InlineData(1.20, Verdict.Slower)]
    [InlineData(1.10, Verdict.Slower)]
    [InlineData(1.00, Verdict.Same)]
    [InlineData(1.03, Verdict.Same)]
    [InlineData(0.97, Verdict.Same)]
    [InlineData(0.90, Verdict.Faster)]
    [InlineData(0.50, Verdict.Faster)]
    public void Verdict_follows_the_change_beyond_the_threshold(double factor, Verdict expected)
    {
        CaseComparison c = Comparer.CompareCase(Case(1e6), Case(1e6 * factor), new ComparisonOptions());
        Assert.Equal(expected, c.Verdict);
        Assert.Equal(factor, c.Ratio, 2);
    }

    [Fact]
    public void A_larger_threshold_hides_a_ten_percent_slowdown()
    {
        CaseComparison c = Comparer.CompareCase(Case(1e6), Case(1.1e6), new ComparisonOptions(Threshold: 0.2));
        Assert.Equal(Verdict.Same, c.Verdict);
    }

    [Fact]
    public void Too_few_measurements_are_not_tested()
    {
        CaseComparison c = Comparer.CompareCase(Case(1e6, n: 2), Case(2e6, n: 2), new ComparisonOptions());
        Assert.Equal(Verdict.TooFewSamples, c.Verdict);
        Assert.False(c.IsRegression);
    }

    [Fact]
    public void A_case_that_lost_its_result_is_a_regression()
    {
        CaseComparison c = Comparer.CompareCase(Case(1e6), Case(1e6, n: 0), new ComparisonOptions());
        Assert.Equal(Verdict.NoResult, c.Verdict);
        Assert.True(c.IsRegression);
    }

    [Fact]
    public void A_slower_peer_is_reported_but_is_not_our_regression()
    {
        CaseComparison c = Comparer.CompareCase(Case(1e6, "OpenBLAS"), Case(1.5e6, "OpenBLAS"), new ComparisonOptions());
        Assert.Equal(Verdict.Slower, c.Verdict);
        Assert.True(c.IsPeer);
        Assert.False(c.IsRegression);
    }

    [Fact]
    public void Runs_are_paired_by_full_name_and_unpaired_cases_are_listed()
    {
        var env = new Dictionary<string, string>();
        var baseline = new BenchmarkRun("base", env, [Case(1e6), Case(1e6, "OpenBLAS")]);
        var diff = new BenchmarkRun("diff", env, [Case(1e6), Case(1e6, "MKL")]);
        IReadOnlyList<CaseComparison> cases = Comparer.Compare(baseline, diff, new ComparisonOptions());
        Assert.Equal([Verdict.Same, Verdict.OnlyInBase, Verdict.OnlyInDiff], cases.Select(c => c.Verdict));
    }
}
