using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Export;

namespace StarNet.Benchmarks;

/// <summary>
/// The configuration of every benchmark here: a short job (numeric kernels are stable after a few iterations),
/// allocation counts, the GFLOP/s column, and BenchmarkDotNet's full JSON export (with the engine's instruction set
/// and each case's flop count added) for regression comparisons. <c>perf/run.sh</c> raises the iteration count.
/// </summary>
public sealed class EngineConfig : ManualConfig
{
    public EngineConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1).WithId("Engine"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new GflopsColumn());
        AddExporter(StarNetJsonExporter.Instance);
        AddColumnProvider(DefaultColumnProviders.Instance);
        WithOption(ConfigOptions.JoinSummary, false);
    }
}
