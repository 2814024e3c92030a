using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Benchmarks.Peers;
using StarNet.Benchmarks.Sets;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Engine;

/// <summary>
/// GEMM against the system OpenBLAS in the same run: square sizes and the two StarNet shapes (the Gram-type
/// A^T B with A 60000x257 and B 60000x784, and 256x784 times 784x60000), float and double, 1 and 2 threads.
/// Quick set: sq512 and the two StarNet shapes, float, one thread, both implementations.
/// </summary>
[Config(typeof(EngineConfig))]
[BenchmarkCategory(BenchmarkSets.Quick)]
public unsafe class GemmBenchmarks : IFlopCount, IQuickSet
{
    private Matrix<float>? _af, _bf, _cf;
    private Matrix<double>? _ad, _bd, _cd;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = Shapes.First();

    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = "StarNet";

    public static IEnumerable<GemmShape> Shapes =>
    [
        new("sq64", 64, 64, 64, false),
        new("sq128", 128, 128, 128, false),
        new("sq256", 256, 256, 256, false),
        new("sq512", 512, 512, 512, false),
        new("sq1024", 1024, 1024, 1024, false),
        new("sq2048", 2048, 2048, 2048, false),
        new("AtB_257x784x60000", 257, 784, 60000, true),
        new("AB_256x60000x784", 256, 60000, 784, false),
    ];

    public static IEnumerable<string> Implementations => Peer.Implementations;

    public double Flops => 2.0 * Shape.M * Shape.N * Shape.K;

    public bool InQuickSet =>
        Precision == "float" && Threads == 1 && Shape.Name is "sq512" or "AtB_257x784x60000" or "AB_256x60000x784";

    [GlobalSetup]
    public void Setup()
    {
        LinearAlgebraSettings.DegreeOfParallelism = Threads;
        OpenBlas.SetThreads(Threads);
        var rng = new Random(42);
        int ar = Shape.TransA ? Shape.K : Shape.M, ac = Shape.TransA ? Shape.M : Shape.K;
        if (Precision == "float")
        {
            _af = Random<float>(ar, ac, rng);
            _bf = Random<float>(Shape.K, Shape.N, rng);
            _cf = new Matrix<float>(Shape.M, Shape.N);
        }
        else
        {
            _ad = Random<double>(ar, ac, rng);
            _bd = Random<double>(Shape.K, Shape.N, rng);
            _cd = new Matrix<double>(Shape.M, Shape.N);
        }
    }

    [Benchmark]
    public void Gemm()
    {
        MatrixOp opA = Shape.TransA ? MatrixOp.Transpose : MatrixOp.None;
        if (Precision == "float")
        {
            if (Implementation == Peer.OpenBlasName)
            {
                fixed (float* a = _af!.Span, b = _bf!.Span, c = _cf!.Span)
                {
                    OpenBlas.Sgemm(Shape.TransA, false, Shape.M, Shape.N, Shape.K, 1f, a, _af.Stride, b, _bf.Stride, 0f, c, _cf.Stride);
                }
            }
            else
            {
                Blas.Gemm(1f, _af!.AsReadOnlySpan(), opA, _bf!.AsReadOnlySpan(), MatrixOp.None, 0f, _cf!.AsSpan());
            }
        }
        else if (Implementation == Peer.OpenBlasName)
        {
            fixed (double* a = _ad!.Span, b = _bd!.Span, c = _cd!.Span)
            {
                OpenBlas.Dgemm(Shape.TransA, false, Shape.M, Shape.N, Shape.K, 1.0, a, _ad.Stride, b, _bd.Stride, 0.0, c, _cd.Stride);
            }
        }
        else
        {
            Blas.Gemm(1.0, _ad!.AsReadOnlySpan(), opA, _bd!.AsReadOnlySpan(), MatrixOp.None, 0.0, _cd!.AsSpan());
        }
    }

    internal static Matrix<T> Random<T>(int rows, int cols, Random rng)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        Span<T> s = m.Span;
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        }

        return m;
    }
}
