using BenchmarkDotNet.Jobs;

namespace StarNet.Benchmarks;

/// <summary>
/// <see cref="EngineConfig"/> for classes whose every call takes a second or more (the full least-squares solves):
/// one warmup and three measured iterations of one call each, which keeps a class of 40 such cases near ten
/// minutes. <c>perf/run.sh --iterations N</c> overrides the iteration count like for every class.
/// </summary>
public sealed class LongCaseConfig : EngineConfig
{
    public LongCaseConfig()
        : base(Job.Default.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithInvocationCount(1).WithUnrollFactor(1).WithId("Long"))
    {
    }
}
