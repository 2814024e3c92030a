namespace StarNet.PerfCompare;

/// <summary>What the statistics say about one benchmark case.</summary>
public enum Verdict
{
    /// <summary>No change beyond the threshold could be shown.</summary>
    Same,

    /// <summary>The new run is slower by more than the threshold (significant).</summary>
    Slower,

    /// <summary>The new run is faster by more than the threshold (significant).</summary>
    Faster,

    /// <summary>Too few measurements on one side for the test.</summary>
    TooFewSamples,

    /// <summary>The case has a result in the baseline but none in the new run.</summary>
    NoResult,

    /// <summary>Only the baseline has the case.</summary>
    OnlyInBase,

    /// <summary>Only the new run has the case.</summary>
    OnlyInDiff,
}

/// <summary>Settings of a comparison.</summary>
/// <param name="Threshold">Relative change of the time per operation that matters (0.05 = 5%).</param>
/// <param name="Alpha">Significance level of each one-sided test.</param>
/// <param name="MinSamples">Fewest measurements per side for a test.</param>
public sealed record ComparisonOptions(double Threshold = 0.05, double Alpha = 0.05, int MinSamples = 3);

/// <summary>One case of the baseline paired with the same case of the new run.</summary>
/// <param name="Base">The baseline's case, if it has it.</param>
/// <param name="Diff">The new run's case, if it has it.</param>
/// <param name="PSlower">One-sided Mann-Whitney p-value for "new time &gt; base time × (1 + threshold)".</param>
/// <param name="PFaster">One-sided Mann-Whitney p-value for "new time &lt; base time × (1 - threshold)".</param>
/// <param name="Verdict">The outcome.</param>
public sealed record CaseComparison(BenchmarkResult? Base, BenchmarkResult? Diff, double PSlower, double PFaster, Verdict Verdict)
{
    /// <summary>Whichever side has the case.</summary>
    public BenchmarkResult Benchmark => Base ?? Diff!;

    /// <summary>Median of the baseline (ns per operation).</summary>
    public double BaseMedian => Base?.Median ?? double.NaN;

    /// <summary>Median of the new run (ns per operation).</summary>
    public double DiffMedian => Diff?.Median ?? double.NaN;

    /// <summary>New median over base median (above 1: slower).</summary>
    public double Ratio => DiffMedian / BaseMedian;

    /// <summary>True when this is a native peer's row (a yardstick, excluded from the exit code).</summary>
    public bool IsPeer => Benchmark.IsPeer;

    /// <summary>True when this case makes the comparison fail: our code got slower or lost its result.</summary>
    public bool IsRegression => !IsPeer && Verdict is Verdict.Slower or Verdict.NoResult;
}

/// <summary>Pairs the cases of two runs by full name and tests each pair.</summary>
public static class Comparer
{
    /// <summary>Every case of either run, baseline order first, then cases only the new run has.</summary>
    public static IReadOnlyList<CaseComparison> Compare(BenchmarkRun baseline, BenchmarkRun diff, ComparisonOptions options)
    {
        Dictionary<string, BenchmarkResult> diffByName = diff.Benchmarks.GroupBy(b => b.FullName).ToDictionary(g => g.Key, g => g.First());
        var baseNames = new HashSet<string>(baseline.Benchmarks.Select(b => b.FullName));
        var result = new List<CaseComparison>();
        foreach (BenchmarkResult b in baseline.Benchmarks.DistinctBy(b => b.FullName))
        {
            result.Add(diffByName.TryGetValue(b.FullName, out BenchmarkResult? d)
                ? CompareCase(b, d, options)
                : new CaseComparison(b, null, double.NaN, double.NaN, Verdict.OnlyInBase));
        }

        foreach (BenchmarkResult d in diff.Benchmarks.DistinctBy(b => b.FullName).Where(d => !baseNames.Contains(d.FullName)))
        {
            result.Add(new CaseComparison(null, d, double.NaN, double.NaN, Verdict.OnlyInDiff));
        }

        return result;
    }

    /// <summary>
    /// Tests one pair: "slower" when the new times are significantly greater than the baseline times scaled by
    /// (1 + threshold), "faster" when significantly smaller than the baseline scaled by (1 - threshold).
    /// </summary>
    public static CaseComparison CompareCase(BenchmarkResult baseline, BenchmarkResult diff, ComparisonOptions options)
    {
        if (!diff.HasResult && baseline.HasResult)
        {
            return new CaseComparison(baseline, diff, double.NaN, double.NaN, Verdict.NoResult);
        }

        if (baseline.Samples.Count < options.MinSamples || diff.Samples.Count < options.MinSamples)
        {
            return new CaseComparison(baseline, diff, double.NaN, double.NaN, Verdict.TooFewSamples);
        }

        double[] slowerBound = [.. baseline.Samples.Select(v => v * (1 + options.Threshold))];
        double[] fasterBound = [.. baseline.Samples.Select(v => v * (1 - options.Threshold))];
        double pSlower = MannWhitney.PGreater(diff.Samples, slowerBound);
        double pFaster = MannWhitney.PGreater(fasterBound, diff.Samples);
        Verdict verdict = pSlower < options.Alpha ? Verdict.Slower : pFaster < options.Alpha ? Verdict.Faster : Verdict.Same;
        return new CaseComparison(baseline, diff, pSlower, pFaster, verdict);
    }
}
