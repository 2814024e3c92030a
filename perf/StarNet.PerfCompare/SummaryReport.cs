namespace StarNet.PerfCompare;

/// <summary>
/// The short Markdown summary of one run: the machine and engine, then per benchmark class a table of parameters,
/// median time, GFLOP/s (flops over the median), allocation, and for our rows the speed relative to each native peer
/// measured in the same run (peer time over our time: above 1 means StarNet is faster).
/// </summary>
public static class SummaryReport
{
    /// <summary>Writes the summary; returns the number of cases without a result.</summary>
    public static int Write(TextWriter w, BenchmarkRun run)
    {
        w.WriteLine("# Benchmark summary");
        w.WriteLine();
        w.Write(Tables.List(
        [
            ("source", run.Source),
            ("run", run.Env(RunEnvironmentKeys.Title)),
            ("label", run.Env(RunEnvironmentKeys.Label)),
            ("processor", $"{run.Env(RunEnvironmentKeys.CpuModel)} ({run.Env(RunEnvironmentKeys.ProcessorName)}), {run.Env(RunEnvironmentKeys.LogicalCoreCount)} logical cores, {run.Env(RunEnvironmentKeys.Architecture)}"),
            ("CPU SIMD flags", run.Env(RunEnvironmentKeys.CpuSimdFlags)),
            ("hardware intrinsics", run.Env(RunEnvironmentKeys.HardwareIntrinsics)),
            ("engine", run.Env(RunEnvironmentKeys.EngineDescription)),
            ("STARNET_MAX_ISA", run.Env(RunEnvironmentKeys.MaxIsaOverride) is { Length: > 0 } cap ? cap : "unset"),
            ("runtime", $"{run.Env(RunEnvironmentKeys.RuntimeVersion)}, {run.Env(RunEnvironmentKeys.OsVersion)}, BenchmarkDotNet {run.Env(RunEnvironmentKeys.BenchmarkDotNetVersion)}"),
            ("load average (1/5/15 min) at start / end", $"{run.Env(RunEnvironmentKeys.LoadAtStart)} / {run.Env(RunEnvironmentKeys.LoadAtEnd)}"),
        ]));
        w.WriteLine();
        w.WriteLine("Median over the measured iterations; GFLOP/s = flops of one call / median; `x peer` = peer median / StarNet median");
        w.WriteLine("for rows that differ only by Implementation (above 1: StarNet is faster).");

        foreach (IGrouping<string, BenchmarkResult> group in run.Benchmarks.GroupBy(b => b.Group))
        {
            string[] peers = [.. group.Where(b => b.IsPeer).Select(b => b.Implementation!).Distinct()];
            Dictionary<string, BenchmarkResult> peerRows = group.Where(b => b.IsPeer).GroupBy(b => b.PeerKey + "|" + b.Implementation).ToDictionary(g => g.Key, g => g.First());
            Tables.WriteGrouped(
                w,
                group,
                b => b,
                ["median", "n", "GFLOP/s", "allocated", .. peers.Select(p => "x " + p)],
                b => [b.HasResult ? Tables.Time(b.Median) : "NO RESULT", b.Samples.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    b.Flops is double f && b.HasResult ? Tables.Number(f / b.Median) : "-", Tables.Bytes(b.AllocatedBytes),
                    .. peers.Select(p => SpeedVsPeer(b, peerRows.GetValueOrDefault(b.PeerKey + "|" + p)))]);
        }

        int failed = run.Benchmarks.Count(b => !b.HasResult);
        w.WriteLine();
        w.WriteLine($"{run.Benchmarks.Count} case(s), {failed} without a result.");
        return failed;
    }

    private static string SpeedVsPeer(BenchmarkResult row, BenchmarkResult? peer) =>
        row.IsPeer || row.Implementation is null || peer is null || !peer.HasResult || !row.HasResult
            ? "-"
            : Tables.Number(peer.Median / row.Median);
}
