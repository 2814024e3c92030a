using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;
using StarNet.LinearAlgebra;
using LapackApi = StarNet.LinearAlgebra.Lapack;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// Householder QR (geqrf: R and the reflectors in place, tau) against LAPACKE_sgeqrf/dgeqrf of the system OpenBLAS
/// in the same run: square n = 64 ... 2048 and the StarNet shapes (784 x 256 and 784 x 257: the decoder's last
/// weight matrix, transposed, without and with its bias column; 3072 x 257: CIFAR-10; 10000 x 100; 60000 x 129 and
/// 60000 x 257: MNIST latents with a bias column). Every call first copies the pristine input into the work matrix
/// (m n elements, the same copy for both implementations). Ours works on row-major storage, LAPACKE on column-major
/// (its native layout, no transposition). GFLOP/s use LAPACK's count 2 m n^2 - 2 n^3 / 3. Two-thread cases from
/// 5e6 flops (sq64 and sq128 are left out). CI's dry run factors the shapes with m >= 100 n with a tenth of their
/// rows. Quick set: 784 x 256, float, one thread.
/// </summary>
[Config(typeof(EngineConfig))]
[BenchmarkCategory(BenchmarkSets.Quick)]
public class QrBenchmarks : LapackBenchmarkBase, IFlopCount, IQuickSet, ICaseFilter
{
    [ParamsSource(nameof(Shapes))]
    public LapackShape Shape { get; set; } = Shapes.First();

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = Peer.StarNetName;

    public static IEnumerable<LapackShape> Shapes =>
    [
        new("sq64", 64, 64),
        new("sq128", 128, 128),
        new("sq256", 256, 256),
        new("sq512", 512, 512),
        new("sq1024", 1024, 1024),
        new("sq2048", 2048, 2048),
        new("784x256", 784, 256),
        new("784x257", 784, 257),
        new("3072x257", 3072, 257),
        new("10000x100", 10000, 100),
        new("60000x129", 60000, 129),
        new("60000x257", 60000, 257),
    ];

    public static IEnumerable<string> Implementations => Peer.LapackImplementations;

    public double Flops => (2.0 * Shape.M * Shape.N * Shape.N) - (2.0 * Shape.N * Shape.N * Shape.N / 3);

    public bool InQuickSet => Shape.Name == "784x256" && Precision == "float" && Threads == 1;

    /// <summary>Two threads only from 5e6 flops: below that the engine runs on one thread anyway (its GEMM splits from 4e6 flops).</summary>
    public bool IsMeaningful => Threads == 1 || Flops >= 5e6;

    [GlobalSetup]
    public void Setup()
    {
        LapackBenchmarkData.SetThreads(Threads);
        bool peer = Implementation != Peer.StarNetName;
        // CI's dry run only checks that the code runs: the very tall shapes (m >= 100 n) get a tenth of their rows.
        LapackShape shape = RunEnvironment.DryRun && Shape.M >= 100 * Shape.N ? Shape with { M = Shape.M / 10 } : Shape;
        Case = Precision == "float" ? new QrCase<float>(shape, peer) : new QrCase<double>(shape, peer);
    }

    [Benchmark]
    public void Geqrf() => Case!.Run();
}

/// <summary>A factorization shape, named for the table.</summary>
public sealed record LapackShape(string Name, int M, int N)
{
    public override string ToString() => Name;
}

internal sealed unsafe class QrCase<T> : IBenchmarkCase
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _m, _n;
    private readonly bool _peer;
    private readonly Matrix<T>? _a, _work;
    private readonly T[]? _colA, _colWork, _work2;
    private readonly T[] _tau;

    public QrCase(LapackShape shape, bool peer)
    {
        (_m, _n, _peer) = (shape.M, shape.N, peer);
        Matrix<T> a = LapackBenchmarkData.Random<T>(_m, _n, seed: 42);
        _tau = new T[Math.Min(_m, _n)];
        if (peer)
        {
            _colA = LapackBenchmarkData.ColumnMajor(a.AsReadOnlySpan());
            _colWork = new T[_colA.Length];
            _work2 = new T[Lapacke.GeqrfWorkspace<T>(_m, _n)];
        }
        else
        {
            _a = a;
            _work = new Matrix<T>(_m, _n);
        }
    }

    public void Run()
    {
        if (_peer)
        {
            _colA.AsSpan().CopyTo(_colWork);
            fixed (T* a = _colWork, tau = _tau, work = _work2)
            {
                Lapacke.Check(Lapacke.Geqrf(_m, _n, a, _m, tau, work, _work2!.Length), "geqrf");
            }
        }
        else
        {
            _a!.Span.CopyTo(_work!.Span);
            LapackApi.QrFactor(_work.AsSpan(), _tau);
        }
    }
}
