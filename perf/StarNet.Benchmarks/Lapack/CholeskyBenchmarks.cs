using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;
using StarNet.LinearAlgebra;
using LapackApi = StarNet.LinearAlgebra.Lapack;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// Cholesky factorization (potrf) of a well-conditioned symmetric positive definite matrix (M M^T / n + I) against
/// LAPACKE_spotrf/dpotrf of the system OpenBLAS in the same run, n = 64 ... 2048. Ours factors the lower triangle of
/// row-major storage, LAPACKE the upper triangle of the same buffer read column-major (the same triangle of the
/// same matrix). Every call first copies the pristine matrix into the work matrix (n^2 elements, both
/// implementations). GFLOP/s use n^3 / 3. Two-thread cases from n = 256. Quick set: n = 512, float, one thread.
/// </summary>
[Config(typeof(EngineConfig))]
[BenchmarkCategory(BenchmarkSets.Quick)]
public class CholeskyBenchmarks : LapackBenchmarkBase, IFlopCount, IQuickSet, ICaseFilter
{
    [Params(64, 128, 256, 512, 1024, 2048)]
    public int N { get; set; } = 64;

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = Peer.StarNetName;

    public static IEnumerable<string> Implementations => Peer.LapackImplementations;

    public double Flops => (double)N * N * N / 3;

    public bool InQuickSet => N == 512 && Precision == "float" && Threads == 1;

    /// <summary>Two threads only from 5e6 flops: below that the engine runs on one thread anyway (its GEMM splits from 4e6 flops).</summary>
    public bool IsMeaningful => Threads == 1 || Flops >= 5e6;

    [GlobalSetup]
    public void Setup()
    {
        LapackBenchmarkData.SetThreads(Threads);
        bool peer = Implementation != Peer.StarNetName;
        Case = Precision == "float" ? new CholeskyCase<float>(N, peer) : new CholeskyCase<double>(N, peer);
    }

    [Benchmark]
    public void Potrf() => Case!.Run();
}

internal sealed unsafe class CholeskyCase<T> : IBenchmarkCase
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _n;
    private readonly bool _peer;
    private readonly Matrix<T> _a, _work;

    public CholeskyCase(int n, bool peer)
    {
        (_n, _peer) = (n, peer);
        _a = LapackBenchmarkData.SymmetricPositiveDefinite<T>(n, seed: 7);
        _work = new Matrix<T>(n, n);
    }

    public void Run()
    {
        _a.Span.CopyTo(_work.Span);
        if (_peer)
        {
            fixed (T* a = _work.Span)
            {
                Lapacke.Check(Lapacke.Potrf(_n, a, _n), "potrf");
            }
        }
        else
        {
            LapackApi.CholeskyFactor(_work.AsSpan(), Triangle.Lower);
        }
    }
}
