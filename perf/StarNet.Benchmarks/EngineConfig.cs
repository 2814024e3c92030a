using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using StarNet.Benchmarks.Columns;

namespace StarNet.Benchmarks;

/// <summary>
/// The configuration of every benchmark here: a short job (numeric kernels are stable after a few iterations),
/// allocation counts, the GFLOP/s column, and BenchmarkDotNet's full JSON export for regression comparisons.
/// </summary>
public sealed class EngineConfig : ManualConfig
{
    public EngineConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1).WithId("Engine"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new GflopsColumn());
        AddExporter(JsonExporter.Full);
        AddColumnProvider(DefaultColumnProviders.Instance);
        WithOption(ConfigOptions.JoinSummary, false);
    }
}
