using System.Globalization;

namespace StarNet.PerfCompare;

/// <summary>Writes a comparison as Markdown and decides the exit code.</summary>
public static class ComparisonReport
{
    /// <summary>Exit code: no regression.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: at least one of our benchmarks got slower beyond the threshold or lost its result.</summary>
    public const int Regression = 1;

    /// <summary>Exit code: usage or data error, or a comparison refused because the runs are not comparable.</summary>
    public const int Error = 2;

    /// <summary>Compares two runs and writes the report; returns the exit code.</summary>
    public static int Run(TextWriter w, BenchmarkRun baseline, BenchmarkRun diff, ComparisonOptions options, bool force)
    {
        IReadOnlyList<EnvironmentItem> env = EnvironmentCheck.Items(baseline, diff);
        EnvironmentItem[] refusing = [.. env.Where(e => e.Refuses)];

        w.WriteLine("# Perf comparison");
        w.WriteLine();
        w.Write(Tables.List([("base", baseline.Source), ("diff", diff.Source)]));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"- test: one-sided Mann-Whitney U on the measured iterations (ns/op), alpha {options.Alpha}, threshold {options.Threshold:P1} of the baseline time"));
        if (refusing.Length > 0 && force)
        {
            w.WriteLine();
            w.WriteLine(ForcedBanner(refusing));
        }

        w.WriteLine();
        w.WriteLine("## Environment");
        w.WriteLine();
        Tables.Write(w, ["", "base", "diff", "check"], [false, false, false, false], env.Select(e => (IReadOnlyList<string>)[e.Label, Show(e.Base), Show(e.Diff), e.Status]));

        if (refusing.Length > 0 && !force)
        {
            w.WriteLine();
            w.WriteLine("REFUSED: these runs were taken on different machines or instruction sets (" +
                string.Join("; ", refusing.Select(e => $"{e.Label}: '{e.Base}' vs '{e.Diff}'")) +
                "). Their timings are not comparable. Re-run the baseline on this machine, or pass --force to compare anyway.");
            return Error;
        }

        IReadOnlyList<CaseComparison> cases = Comparer.Compare(baseline, diff, options);
        Dictionary<string, CaseComparison> peerOf = cases.Where(c => c.IsPeer).GroupBy(c => c.Benchmark.PeerKey).ToDictionary(g => g.Key, g => g.First());
        double VsPeer(CaseComparison c) =>
            !c.IsPeer && peerOf.TryGetValue(c.Benchmark.PeerKey, out CaseComparison? peer) ? c.Ratio / peer.Ratio : double.NaN;

        w.WriteLine();
        w.WriteLine("## Results");
        w.WriteLine();
        w.WriteLine("Median time per operation; `diff/base` above 1 is slower. Peer rows (Implementation other than StarNet) are");
        w.WriteLine("yardsticks measured in the same run: they never fail the check, but a peer that moved hints at machine noise.");
        w.WriteLine("`vs peer` = our diff/base over the peer's diff/base (information only, no test): near 1 when a change of ours");
        w.WriteLine("is matched by the same change of the peer, i.e. when the machine, not the code, changed.");
        Tables.WriteGrouped(
            w,
            cases,
            c => c.Benchmark,
            ["base median", "diff median", "diff/base", "vs peer", "p(slower)", "p(faster)", "n base/diff", "verdict"],
            c => [Tables.Time(c.BaseMedian), Tables.Time(c.DiffMedian), Tables.Number(c.Ratio), Tables.Number(VsPeer(c)), Tables.P(c.PSlower), Tables.P(c.PFaster),
                $"{c.Base?.Samples.Count ?? 0}/{c.Diff?.Samples.Count ?? 0}", VerdictText(c)]);

        CaseComparison[] regressions = [.. cases.Where(c => c.IsRegression)];
        CaseComparison[] improvements = [.. cases.Where(c => !c.IsPeer && c.Verdict == Verdict.Faster)];
        CaseComparison[] peersMoved = [.. cases.Where(c => c.IsPeer && c.Verdict is Verdict.Slower or Verdict.Faster)];
        int tested = cases.Count(c => !c.IsPeer && c.Verdict is Verdict.Same or Verdict.Slower or Verdict.Faster);
        int untested = cases.Count(c => !c.IsPeer && c.Verdict is Verdict.TooFewSamples or Verdict.OnlyInBase or Verdict.OnlyInDiff);

        w.WriteLine();
        w.WriteLine("## Verdict");
        w.WriteLine();
        foreach (CaseComparison c in regressions)
        {
            w.WriteLine(c.Verdict == Verdict.NoResult
                ? $"- REGRESSION: {Name(c)} has no result in the new run"
                : $"- REGRESSION: {Name(c)} is {Tables.Percent(c.Ratio - 1).TrimStart('+')} slower (median {Tables.Time(c.BaseMedian)} -> {Tables.Time(c.DiffMedian)}, p = {Tables.P(c.PSlower)})");
            if (VsPeer(c) is double vs && vs < 1 + options.Threshold)
            {
                w.WriteLine($"  - but its peer slowed down about as much (vs peer {Tables.Number(vs)}): probably machine load rather than code; re-run both sides back to back to be sure.");
            }
        }

        foreach (CaseComparison c in improvements)
        {
            w.WriteLine($"- improvement: {Name(c)} is {Tables.Percent(1 - c.Ratio).TrimStart('+')} faster (median {Tables.Time(c.BaseMedian)} -> {Tables.Time(c.DiffMedian)}, p = {Tables.P(c.PFaster)})");
            if (VsPeer(c) is double vs && vs > 1 - options.Threshold)
            {
                w.WriteLine($"  - but its peer sped up about as much (vs peer {Tables.Number(vs)}): probably machine load rather than code; re-run both sides back to back to be sure.");
            }
        }

        if (peersMoved.Length > 0)
        {
            w.WriteLine($"- note: {peersMoved.Length} peer row(s) moved beyond the threshold too (" +
                string.Join(", ", peersMoved.Select(c => $"{Name(c)} {Tables.Percent(c.Ratio - 1)}")) +
                "): the machine was probably busier in one of the runs; check the load averages above and re-run before trusting a verdict.");
        }

        if (untested > 0)
        {
            w.WriteLine($"- note: {untested} case(s) of ours were not tested (present in one run only, or fewer than {options.MinSamples} measurements).");
        }

        w.WriteLine($"- {regressions.Length} regression(s), {improvements.Length} improvement(s), {tested - regressions.Count(r => r.Verdict == Verdict.Slower) - improvements.Length} unchanged, among {tested} tested case(s) of ours.");
        if (refusing.Length > 0)
        {
            w.WriteLine();
            w.WriteLine(ForcedBanner(refusing));
        }

        return regressions.Length > 0 ? Regression : Ok;
    }

    private static string ForcedBanner(EnvironmentItem[] refusing) =>
        "**WARNING: FORCED COMPARISON OF INCOMPARABLE RUNS** (--force): " +
        string.Join("; ", refusing.Select(e => $"{e.Label} differs: '{e.Base}' vs '{e.Diff}'")) +
        ". Differences below may come from the machine or instruction set, not from the code.";

    private static string VerdictText(CaseComparison c) => c.Verdict switch
    {
        Verdict.Slower when c.IsPeer => "slower (peer)",
        Verdict.Faster when c.IsPeer => "faster (peer)",
        Verdict.Slower => "**SLOWER**",
        Verdict.Faster => "faster",
        Verdict.Same => "same",
        Verdict.TooFewSamples => "too few samples",
        Verdict.NoResult => c.IsPeer ? "no result (peer)" : "**NO RESULT**",
        Verdict.OnlyInBase => "only in base",
        Verdict.OnlyInDiff => "only in diff",
        _ => c.Verdict.ToString(),
    };

    private static string Name(CaseComparison c) =>
        $"{c.Benchmark.Group}({string.Join(", ", c.Benchmark.Parameters.Select(p => $"{p.Key}={p.Value}"))})";

    private static string Show(string value) => value.Length == 0 ? "(not recorded)" : value;
}
