using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using StarNet.Benchmarks.Columns;

namespace StarNet.Benchmarks;

/// <summary>
/// The configuration of every benchmark here: a short job (numeric kernels are stable after a few iterations),
/// allocation counts and the GFLOP/s column. The program adds the full JSON export (with the engine's instruction set
/// and each case's flop count) to every class, and <c>perf/run.sh</c> raises the iteration count for comparisons.
/// </summary>
public class EngineConfig : ManualConfig
{
    public EngineConfig()
        : this(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1).WithId("Engine"))
    {
    }

    /// <summary>The same configuration with another job (see <see cref="LongCaseConfig"/>).</summary>
    protected EngineConfig(Job job)
    {
        AddJob(job);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new GflopsColumn());
        AddColumnProvider(DefaultColumnProviders.Instance);
        WithOption(ConfigOptions.JoinSummary, false);
    }
}
