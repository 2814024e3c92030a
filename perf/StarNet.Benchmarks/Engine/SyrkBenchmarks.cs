using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Engine;

/// <summary>
/// The Gram matrix of the StarNet weight solve, A^T A for A = [H 1] of 60000 x 257 (layer 2) or 60000 x 129
/// (layer 1): SYRK (one triangle, n(n+1)k essential flops) in float, in double, and float data accumulated in double
/// (the normal equations' path for float training), against GEMM computing the full product (2n^2k flops) in the
/// same precision as the yardstick: SYRK's GFLOP/s should be near GEMM's.
/// </summary>
[Config(typeof(EngineConfig))]
public class SyrkBenchmarks : IFlopCount
{
    private Matrix<float>? _af;
    private Matrix<double>? _ad, _cd;
    private Matrix<float>? _cf;

    /// <summary>Columns of A (the order of the Gram matrix).</summary>
    [Params(257, 129)]
    public int Order { get; set; } = 257;

    /// <summary>A's type and C's: "float", "double", or "float->double" (float A, double C).</summary>
    [Params("float", "double", "float->double")]
    public string Precision { get; set; } = "float";

    /// <summary>"Syrk" (one triangle) or "Gemm" (the full A^T A, as the yardstick; for "float->double", the double GEMM).</summary>
    [Params("Syrk", "Gemm")]
    public string Kernel { get; set; } = "Syrk";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    public double Flops => Kernel == "Syrk" ? (double)Order * (Order + 1) * Rows : 2.0 * Order * Order * Rows;

    private static int Rows => 60000;

    [GlobalSetup]
    public void Setup()
    {
        LinearAlgebraSettings.DegreeOfParallelism = Threads;
        var rng = new Random(5);
        if (Precision == "double")
        {
            _ad = GemmBenchmarks.Random<double>(Rows, Order, rng);
        }
        else
        {
            _af = GemmBenchmarks.Random<float>(Rows, Order, rng);
            if (Precision != "float")
            {
                // The yardstick of the widening SYRK is the double GEMM on the same values.
                _ad = new Matrix<double>(Rows, Order);
                for (int i = 0; i < _af.Span.Length; i++)
                {
                    _ad.Span[i] = _af.Span[i];
                }
            }
        }

        _cf = new Matrix<float>(Order, Order);
        _cd = new Matrix<double>(Order, Order);
    }

    [Benchmark]
    public void Gram()
    {
        switch (Precision, Kernel)
        {
            case ("float", "Syrk"):
                Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1f, _af!.AsReadOnlySpan(), 0f, _cf!.AsSpan());
                break;
            case ("float", _):
                Blas.Gemm(1f, _af!.AsReadOnlySpan(), MatrixOp.Transpose, _af.AsReadOnlySpan(), MatrixOp.None, 0f, _cf!.AsSpan());
                break;
            case ("double", "Syrk"):
                Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, _ad!.AsReadOnlySpan(), 0.0, _cd!.AsSpan());
                break;
            case (_, "Gemm"):
                Blas.Gemm(1.0, _ad!.AsReadOnlySpan(), MatrixOp.Transpose, _ad.AsReadOnlySpan(), MatrixOp.None, 0.0, _cd!.AsSpan());
                break;
            default:
                Blas.SyrkWidening(Triangle.Lower, MatrixOp.Transpose, 1.0, _af!.AsReadOnlySpan(), 0.0, _cd!.AsSpan());
                break;
        }
    }
}
