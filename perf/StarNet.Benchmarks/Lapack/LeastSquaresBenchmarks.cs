using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// The two full StarNet least-squares solves, factorization included, for each of our methods and two LAPACK peers
/// in the same run:
/// <list type="bullet">
/// <item><b>weights</b>: A 60000 x 257 (MNIST latents with a bias column), 784 right-hand sides as the columns of
/// B (60000 x 784, <c>Solve</c>);</item>
/// <item><b>latents</b>: A 784 x 256 (the decoder's weights), 60000 right-hand sides as the rows of B
/// (60000 x 784, one image per row, <c>SolveRows</c>).</item>
/// </list>
/// Ours: the one-shot solve, <c>LeastSquaresSolver.SolveOnce</c> (weights) or <c>SolveRowsOnce</c> (latents), X
/// written into a preallocated matrix: it factors A without keeping a copy and reuses the thread's factor storage
/// from call to call, as the peers reuse the buffers allocated in setup (a solver object would allocate 62 MB of
/// fresh, page-faulting memory per call for the weights; docs/lapack.md, "One-shot solves").
/// Peers (column-major, LAPACK's layout; for latents that is exactly B's memory): <c>LAPACKE-gels</c> =
/// LAPACKE_sgels/dgels (Householder QR; it overwrites A and B, so every call first copies both), and
/// <c>LAPACK-NE</c> = LAPACK's normal-equations path, cblas syrk (A^T A) + cblas gemm (A^T B) + LAPACKE potrf +
/// potrs, all in the working precision. The peers have no counterpart of our methods, so they run only in the rows
/// with Method = QR (the other combinations are filtered out): the <c>x LAPACK-NE</c> column of our QR row is the
/// issue's target "QR-grade accuracy at normal-equations speed". GFLOP/s use the flops of the normal-equations path
/// (m n^2 + 2 m n k + n^3 / 3 + 2 n^2 k) for every row, so they are a common speed scale, not each method's own count
/// (docs/lapack.md lists those). Not in the quick set: every call takes seconds, so the class runs a shorter job
/// (one warmup, three measured iterations; <c>perf/run.sh --iterations</c> still overrides the count), and CI's dry
/// run shrinks the largest dimension tenfold.
/// </summary>
[Config(typeof(LongCaseConfig))]
public class LeastSquaresBenchmarks : LapackBenchmarkBase, IFlopCount, ICaseFilter
{
    public const string GelsName = "LAPACKE-gels";
    public const string NormalEquationsName = "LAPACK-NE";

    [ParamsSource(nameof(Problems))]
    public LeastSquaresProblem Problem { get; set; } = Problems.First();

    [Params("QR", "RCQR", "NE", "SNE")]
    public string Method { get; set; } = "QR";

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = Peer.StarNetName;

    public static IEnumerable<LeastSquaresProblem> Problems =>
    [
        new("weights_60000x257_784rhs", 60000, 257, 784, RowsLayout: false),
        new("latents_784x256_60000rhs", 784, 256, 60000, RowsLayout: true),
    ];

    public static IEnumerable<string> Implementations => Lapacke.IsAvailable ? [Peer.StarNetName, GelsName, NormalEquationsName] : [Peer.StarNetName];

    public double Flops
    {
        get
        {
            double m = Problem.M, n = Problem.N, k = Problem.K;
            return (m * n * n) + (2 * m * n * k) + (n * n * n / 3) + (2 * n * n * k);
        }
    }

    public bool IsMeaningful => Implementation == Peer.StarNetName || Method == "QR";

    [GlobalSetup]
    public void Setup()
    {
        LapackBenchmarkData.SetThreads(Threads);
        LeastSquaresMethod method = Method switch
        {
            "RCQR" => LeastSquaresMethod.RandomizedCholeskyQR,
            "NE" => LeastSquaresMethod.NormalEquations,
            "SNE" => LeastSquaresMethod.SemiNormalEquations,
            _ => LeastSquaresMethod.HouseholderQR,
        };
        LeastSquaresProblem problem = RunEnvironment.DryRun ? Problem.Shrunk(10) : Problem;
        Case = Precision == "float"
            ? new LeastSquaresCase<float>(problem, Implementation, method)
            : new LeastSquaresCase<double>(problem, Implementation, method);
    }

    [Benchmark]
    public void Solve() => Case!.Run();
}

/// <summary>A least-squares problem: A is M x N with K right-hand sides, as B's rows (RowsLayout) or its columns.</summary>
public sealed record LeastSquaresProblem(string Name, int M, int N, int K, bool RowsLayout)
{
    /// <summary>The problem with its largest dimension (data rows m or right-hand sides k) divided by <paramref name="factor"/>: CI's dry run.</summary>
    public LeastSquaresProblem Shrunk(int factor) => M >= K ? this with { M = Math.Max(N, M / factor) } : this with { K = K / factor };

    public override string ToString() => Name;
}

internal sealed unsafe class LeastSquaresCase<T> : IBenchmarkCase
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LeastSquaresProblem _p;
    private readonly string _implementation;
    private readonly LeastSquaresOptions _options;
    private readonly Matrix<T>? _a, _b, _x;
    private readonly T[]? _colA, _colB, _workA, _workB, _work, _gram;

    public LeastSquaresCase(LeastSquaresProblem p, string implementation, LeastSquaresMethod method)
    {
        (_p, _implementation) = (p, implementation);
        _options = new LeastSquaresOptions { Method = method };
        Matrix<T> a = LapackBenchmarkData.Random<T>(p.M, p.N, seed: 11);
        Matrix<T> b = p.RowsLayout ? LapackBenchmarkData.Random<T>(p.K, p.M, seed: 12) : LapackBenchmarkData.Random<T>(p.M, p.K, seed: 12);
        if (implementation == Peer.StarNetName)
        {
            (_a, _b) = (a, b);
            _x = p.RowsLayout ? new Matrix<T>(p.K, p.N) : new Matrix<T>(p.N, p.K);
            return;
        }

        // Column-major copies: B's rows layout (k x m row-major) is already the column-major m x k matrix.
        _colA = LapackBenchmarkData.ColumnMajor(a.AsReadOnlySpan());
        _colB = p.RowsLayout ? b.Span.ToArray() : LapackBenchmarkData.ColumnMajor(b.AsReadOnlySpan());
        if (implementation == LeastSquaresBenchmarks.GelsName)
        {
            _workA = new T[_colA.Length];
            _workB = new T[_colB.Length];
            _work = new T[Lapacke.GelsWorkspace<T>(p.M, p.N, p.K)];
        }
        else
        {
            _gram = new T[p.N * p.N];
            _workB = new T[p.N * p.K];
        }
    }

    public void Run()
    {
        int m = _p.M, n = _p.N, k = _p.K;
        if (_implementation == Peer.StarNetName)
        {
            if (_p.RowsLayout)
            {
                LeastSquaresSolver<T>.SolveRowsOnce(_a!.AsReadOnlySpan(), _b!.AsReadOnlySpan(), _x!.AsSpan(), _options);
            }
            else
            {
                LeastSquaresSolver<T>.SolveOnce(_a!.AsReadOnlySpan(), _b!.AsReadOnlySpan(), _x!.AsSpan(), _options);
            }

            return;
        }

        if (_implementation == LeastSquaresBenchmarks.GelsName)
        {
            _colA.AsSpan().CopyTo(_workA);
            _colB.AsSpan().CopyTo(_workB);
            fixed (T* a = _workA, b = _workB, work = _work)
            {
                Lapacke.Check(Lapacke.Gels(m, n, k, a, m, b, m, work, _work!.Length), "gels");
            }

            return;
        }

        // LAPACK's normal equations: G = A^T A (syrk), C = A^T B (gemm), G = U^T U (potrf), C := G^-1 C (potrs).
        fixed (T* a = _colA, b = _colB, g = _gram, c = _workB)
        {
            Lapacke.GramUpper(m, n, a, m, g, n);
            Lapacke.TransposeTimes(m, n, k, a, m, b, m, c, n);
            Lapacke.Check(Lapacke.Potrf(n, g, n), "potrf");
            Lapacke.Check(Lapacke.Potrs(n, k, g, n, c, n), "potrs");
        }
    }
}
