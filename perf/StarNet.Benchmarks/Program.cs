using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using StarNet.Benchmarks.Export;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;

namespace StarNet.Benchmarks;

/// <summary>
/// BenchmarkDotNet's switcher with four additions: <c>--set quick|full</c> picks a named set (see
/// <see cref="BenchmarkSets"/>), <c>--iterations N</c> sets the measured iteration count of every job, <c>--dry</c>
/// runs every case once in BenchmarkDotNet's Dry mode inside this process (no timing, no per-run build), and the
/// exit code is non-zero when a benchmark failed or produced no result (BenchmarkDotNet itself may exit 0 then).
/// The options change the jobs the classes declare (as mutators) instead of adding jobs: BenchmarkDotNet's own
/// <c>--job</c>/<c>--inProcess</c> would run a class's [Config] job in addition to the one they ask for.
/// Every other argument goes to BenchmarkDotNet unchanged (<c>--filter</c>, <c>--artifacts</c>, <c>--list flat</c>, ...).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "results")
        {
            return Model.TrainingRun.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "profile")
        {
            return Model.EpochProfile.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "lapack-ratios")
        {
            return Lapack.LapackRatios.Run(args[1..]);
        }

        RunEnvironment.LoadAverageAtStart = RunEnvironment.LoadAverageNow();
        if (!TryParse(args, out string? set, out int? iterations, out bool dry, out List<string> rest, out string? error))
        {
            Console.Error.WriteLine("error: " + error);
            Console.Error.WriteLine("usage: StarNet.Benchmarks [--set quick|full] [--iterations N] [--dry] [BenchmarkDotNet options]");
            return 2;
        }

        RunEnvironment.ParseMaxIsa(out string? isaError);
        if (isaError is not null)
        {
            Console.Error.WriteLine("error: " + isaError);
            return 2;
        }

        Console.WriteLine("Peers: " + OpenBlas.Status);
        Console.WriteLine("Engine: " + StarNet.LinearAlgebra.LinearAlgebraSettings.Describe() +
            (RunEnvironment.MaxIsaOverride is { } cap ? $" ({RunEnvironment.MaxIsaVariable}={cap})" : string.Empty));
        Console.WriteLine("Load average at start: " + RunEnvironment.LoadAverageAtStart);

        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance).AddExporter(StarNetJsonExporter.Instance).AddFilter(BenchmarkSets.Meaningful);
        if (set is not null)
        {
            if (BenchmarkSets.FilterFor(set) is { } filter)
            {
                config.AddFilter(filter);
            }

            if (!rest.Contains("--filter") && !rest.Contains("-f"))
            {
                rest.AddRange(["--filter", "*"]);
            }
        }

        if (iterations is int n)
        {
            config.AddJob(new Job().WithIterationCount(n).AsMutator());
        }

        if (dry)
        {
            RunEnvironment.DryRun = true;
            config.AddJob(new Job(Job.Dry).WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
        }

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. rest], config).ToArray();
        Console.WriteLine("Load average at end: " + RunEnvironment.LoadAverageNow());
        bool listingOnly = rest.Any(a => a is "--list" or "--help" or "-h" or "--version" or "--info");
        return Check(summaries, expectResults: set is not null && !listingOnly);
    }

    /// <summary>0 when every case ran and measured something; 1 otherwise (with the reasons on stderr).</summary>
    private static int Check(Summary[] summaries, bool expectResults)
    {
        var problems = new List<string>();
        foreach (Summary summary in summaries)
        {
            problems.AddRange(summary.ValidationErrors.Where(e => e.IsCritical).Select(e => "validation: " + e.Message));
            foreach (BenchmarkCase benchmarkCase in summary.BenchmarksCases)
            {
                BenchmarkReport? report = summary[benchmarkCase];
                if (report is null || !report.Success || report.ResultStatistics is null)
                {
                    problems.Add("no result: " + benchmarkCase.DisplayInfo);
                }
            }
        }

        if (expectResults && summaries.Sum(s => s.BenchmarksCases.Length) == 0)
        {
            problems.Add("the selection matched no benchmark");
        }

        foreach (string problem in problems)
        {
            Console.Error.WriteLine("error: " + problem);
        }

        return problems.Count == 0 ? 0 : 1;
    }

    private static bool TryParse(string[] args, out string? set, out int? iterations, out bool dry, out List<string> rest, out string? error)
    {
        set = null;
        iterations = null;
        dry = false;
        error = null;
        rest = [];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--set" when i + 1 < args.Length && BenchmarkSets.Names.Contains(args[i + 1]):
                    set = args[++i];
                    break;
                case "--set":
                    error = $"--set needs one of: {string.Join(", ", BenchmarkSets.Names)}";
                    return false;
                case "--iterations" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n >= 1:
                    iterations = n;
                    i++;
                    break;
                case "--iterations":
                    error = "--iterations needs a positive integer";
                    return false;
                case "--dry":
                    dry = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return true;
    }
}
