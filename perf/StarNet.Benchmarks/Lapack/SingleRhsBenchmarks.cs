using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// One right-hand side against a prefactored 784 x 256 least-squares problem (encoding one image with a trained
/// decoder layer): median time and allocated bytes per call. Routes of ours: <c>Solver</c> =
/// <c>LeastSquaresSolver.Solve(b, x)</c> through the Householder factorization (Q^T b, then R^-1);
/// <c>PseudoInverse</c> = the same call after <c>PrecomputePseudoInverse()</c> (one GEMV with the 256 x 784 P).
/// Peer: <c>cblas_sgemv/dgemv</c> with the same P (column-major), the issue's yardstick "a plain GEMV with the
/// pseudo-inverse"; it runs only in the PseudoInverse rows. The target: the PseudoInverse route at or below the
/// peer with 0 bytes allocated. GFLOP/s use 2 m n (the GEMV). Quick set: float, one thread.
/// </summary>
[Config(typeof(EngineConfig))]
[BenchmarkCategory(BenchmarkSets.Quick)]
public class SingleRhsBenchmarks : LapackBenchmarkBase, IFlopCount, IQuickSet, ICaseFilter
{
    private const int M = 784, N = 256;

    [Params("Solver", "PseudoInverse")]
    public string Route { get; set; } = "PseudoInverse";

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = Peer.StarNetName;

    public static IEnumerable<string> Implementations => Peer.Implementations;

    public double Flops => 2.0 * M * N;

    public bool InQuickSet => Precision == "float" && Threads == 1;

    public bool IsMeaningful => Implementation == Peer.StarNetName || Route == "PseudoInverse";

    [GlobalSetup]
    public void Setup()
    {
        LapackBenchmarkData.SetThreads(Threads);
        bool peer = Implementation != Peer.StarNetName, pseudoInverse = Route == "PseudoInverse";
        Case = Precision == "float" ? new SingleRhsCase<float>(M, N, peer, pseudoInverse) : new SingleRhsCase<double>(M, N, peer, pseudoInverse);
    }

    [Benchmark]
    public void SolveOne() => Case!.Run();
}

internal sealed unsafe class SingleRhsCase<T> : IBenchmarkCase
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _m, _n;
    private readonly bool _peer;
    private readonly LeastSquaresSolver<T> _solver;
    private readonly T[] _b, _x;
    private readonly T[]? _colP;

    public SingleRhsCase(int m, int n, bool peer, bool pseudoInverse)
    {
        (_m, _n, _peer) = (m, n, peer);
        Matrix<T> a = LapackBenchmarkData.Random<T>(m, n, seed: 3);
        _solver = new LeastSquaresSolver<T>(a.AsReadOnlySpan(), new LeastSquaresOptions { PrecomputePseudoInverse = pseudoInverse });
        _b = LapackBenchmarkData.Random<T>(1, m, seed: 4).Span.ToArray();
        _x = new T[n];
        if (peer)
        {
            _colP = LapackBenchmarkData.ColumnMajor(_solver.PseudoInverse);
        }

        // Warm the per-thread scratch so the measured calls show the steady state.
        Run();
    }

    public void Run()
    {
        if (_peer)
        {
            fixed (T* p = _colP, b = _b, x = _x)
            {
                Lapacke.Gemv(_n, _m, p, _n, b, x);
            }
        }
        else
        {
            _solver.Solve(_b, _x);
        }
    }
}
