using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Blas;
using StarNet.LinearAlgebra.Tests.Support;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// TRMM (used by the block reflectors) against the plain triangular product, componentwise, on every SIMD path;
/// the operand shapes and configurations are those of the TRSM properties.
/// </summary>
[Properties(Arbitrary = [typeof(Level2And3Arbitraries)], MaxTest = 60)]
public class TrmmProperties
{
    [Property]
    public void Trmm_float_matches_reference(TrsmCase c) => Check<float>(c);

    [Property]
    public void Trmm_double_matches_reference(TrsmCase c) => Check<double>(c);

    private static void Check<T>(TrsmCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        var a = new PaddedMatrix<T>(c.Order, c.Order, c.Pad, 1);
        a.FillRandom(rng);
        var b = c.Side == Side.Left ? new PaddedMatrix<T>(c.Order, c.Other, c.Pad, 1) : new PaddedMatrix<T>(c.Other, c.Order, c.Pad, 1);
        b.FillRandom(rng);
        double[,] ad = a.ToDouble(), b0 = b.ToDouble();
        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.Trmm(c.Side, c.Uplo, c.Trans ? MatrixOp.Transpose : MatrixOp.None, c.Unit ? DiagonalKind.Unit : DiagonalKind.NonUnit, T.CreateTruncating(c.Alpha), a.View, b.View);
        }

        bool left = c.Side == Side.Left, lower = c.Uplo == Triangle.Lower;
        double[,] expected = TriangularProduct(left, lower, c.Trans, c.Unit, c.Alpha, ad, b0);
        double[,] magnitude = TriangularProduct(left, lower, c.Trans, c.Unit, Math.Abs(c.Alpha), Abs(ad), Abs(b0));
        double ratio = Tolerance.ComponentwiseRatio<T>(GemmFlat(b.ToDouble()), GemmFlat(expected), GemmFlat(magnitude), c.Order);
        Assert.True(ratio <= 1.0, $"TRMM componentwise error ratio {ratio} > 1 for {c}");
        Assert.True(a.GuardsIntact() && b.GuardsIntact(), $"TRMM wrote outside its views for {c}");
    }

    private static double[,] Abs(double[,] a)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < r.GetLength(0); i++)
        {
            for (int j = 0; j < r.GetLength(1); j++)
            {
                r[i, j] = Math.Abs(r[i, j]);
            }
        }

        return r;
    }

    private static double[] GemmFlat(double[,] a) => a.Cast<double>().ToArray();
}
