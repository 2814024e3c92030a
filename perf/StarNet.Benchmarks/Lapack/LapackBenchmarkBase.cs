using BenchmarkDotNet.Attributes;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// The parameters every LAPACK-layer benchmark has: precision and thread count (set for both our engine and
/// OpenBLAS's pool in each class's setup, <see cref="LapackBenchmarkData.SetThreads"/>). The classes add their
/// problem parameters and <c>Implementation</c> (ours or the peer, the name the summary pairs rows by).
/// </summary>
public abstract class LapackBenchmarkBase
{
    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>The case to time, built by the class's setup.</summary>
    internal IBenchmarkCase? Case { get; set; }
}
