using FsCheck.Xunit;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Blas;

/// <summary>
/// The blocked SYRK's edge cases (n = 1, k = 0, alpha = 0, beta = 0 over NaN), its independence of the thread count,
/// and the widening SYRK (float A, double C) that builds the normal equations' Gram matrix in double.
/// The general float/double properties against the reference are in <see cref="Level2And3Properties"/>.
/// </summary>
[Properties(Arbitrary = [typeof(Level2And3Arbitraries)], MaxTest = 50)]
public class SyrkTests
{
    public static TheoryData<Triangle, bool> Shapes => new()
    {
        { Triangle.Lower, false }, { Triangle.Lower, true }, { Triangle.Upper, false }, { Triangle.Upper, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Alpha_zero_or_k_zero_only_scales_the_triangle_and_beta_zero_ignores_nan(Triangle uplo, bool trans)
    {
        foreach ((int k, double alpha) in new[] { (0, 1.0), (5, 0.0) })
        {
            foreach (double beta in new[] { 0.0, 0.5, 1.0 })
            {
                var a = trans ? new Matrix<double>(k, 7) : new Matrix<double>(7, k);
                a.Span.Fill(3);
                var c = new Matrix<double>(7, 7);
                for (int i = 0; i < 7; i++)
                {
                    for (int j = 0; j < 7; j++)
                    {
                        c[i, j] = beta == 0 && InTriangle(uplo, i, j) ? double.NaN : i + (10 * j);
                    }
                }

                LinearAlgebra.Blas.Syrk(uplo, trans ? MatrixOp.Transpose : MatrixOp.None, alpha, a.AsReadOnlySpan(), beta, c.AsSpan());
                for (int i = 0; i < 7; i++)
                {
                    for (int j = 0; j < 7; j++)
                    {
                        double expected = !InTriangle(uplo, i, j) ? i + (10 * j) : beta == 0 ? 0 : beta * (i + (10 * j));
                        Assert.Equal(expected, c[i, j]);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void One_by_one_result_and_one_row_or_column_inputs(Triangle uplo, bool trans)
    {
        foreach (int k in new[] { 1, 2, 17, 1000 })
        {
            var a = trans ? new Matrix<float>(k, 1) : new Matrix<float>(1, k);
            double exact = 0;
            for (int p = 0; p < k; p++)
            {
                float v = (p % 7) - 3.25f;
                a.Span[p] = v;
                exact += (double)v * v;
            }

            var c = new Matrix<float>(1, 1);
            c[0, 0] = 2;
            LinearAlgebra.Blas.Syrk(uplo, trans ? MatrixOp.Transpose : MatrixOp.None, 1f, a.AsReadOnlySpan(), 0.5f, c.AsSpan());
            Assert.Equal(exact + 1, c[0, 0], 1e-6 * (exact + 1));

            // k x 1 (one column) against 1 x k (one row) gives a rank-one n x n update.
            var v1 = trans ? new Matrix<float>(1, k) : new Matrix<float>(k, 1);
            a.Span.CopyTo(v1.Span);
            var outer = new Matrix<float>(k, k);
            LinearAlgebra.Blas.Syrk(uplo, trans ? MatrixOp.Transpose : MatrixOp.None, 1f, v1.AsReadOnlySpan(), 0f, outer.AsSpan());
            for (int i = 0; i < k; i += Math.Max(1, k / 13))
            {
                for (int j = 0; j < k; j += Math.Max(1, k / 11))
                {
                    float expected = InTriangle(uplo, i, j) ? a.Span[i] * a.Span[j] : 0f;
                    Assert.Equal(expected, outer[i, j]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Results_do_not_depend_on_the_thread_count(Triangle uplo, bool trans)
    {
        // Big enough for the parallel path (n^2 k well above the threshold), n no multiple of MR, NR or the vector width.
        const int n = 301, k = 1500;
        var rng = new Random(4);
        var a = trans ? new Matrix<float>(k, n) : new Matrix<float>(n, k);
        for (int i = 0; i < a.Span.Length; i++)
        {
            a.Span[i] = (float)(rng.NextDouble() - 0.5);
        }

        Matrix<float>[] single = [Run<float>(1), Run<float>(2)];
        Matrix<double>[] wide = [Run<double>(1), Run<double>(2)];
        Assert.Equal(single[0].Span.ToArray(), single[1].Span.ToArray());
        Assert.Equal(wide[0].Span.ToArray(), wide[1].Span.ToArray());

        Matrix<TOut> Run<TOut>(int threads)
            where TOut : unmanaged, System.Numerics.IFloatingPointIeee754<TOut>
        {
            var c = new Matrix<TOut>(n, n);
            c.AsSpan().Fill(TOut.CreateTruncating(0.5));
            using (LinearAlgebraSettings.Override(degreeOfParallelism: threads))
            {
                LinearAlgebra.Blas.SyrkWidening(uplo, trans ? MatrixOp.Transpose : MatrixOp.None, TOut.CreateTruncating(-1.5), a.AsReadOnlySpan(), TOut.CreateTruncating(0.25), c.AsSpan());
            }

            return c;
        }
    }

    [Property]
    public void Widening_syrk_matches_the_exact_gram_to_double_rounding(SyrkCase c)
    {
        var rng = new Random(c.Seed);
        var a = c.Trans ? new PaddedMatrix<float>(c.K, c.N, c.Pad, 1) : new PaddedMatrix<float>(c.N, c.K, c.Pad, 1);
        a.FillRandom(rng);
        var cm = new PaddedMatrix<double>(c.N, c.N, c.Pad, 1);
        cm.FillRandom(rng);
        double[,] c0 = cm.ToDouble();
        double[,] ad = a.ToDouble();
        using (c.Config.Apply())
        {
            LinearAlgebra.Blas.SyrkWidening(c.Uplo, c.Trans ? MatrixOp.Transpose : MatrixOp.None, c.Alpha, (ReadOnlyMatrixSpan<float>)a.View, c.Beta, cm.View);
        }

        double[,] got = cm.ToDouble();
        var comp = new List<double>();
        var exp = new List<double>();
        var mag = new List<double>();
        for (int i = 0; i < c.N; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                if (!InTriangle(c.Uplo, i, j))
                {
                    Assert.True(got[i, j] == c0[i, j], $"SYRK touched ({i}, {j}) outside the {c.Uplo} triangle for {c}");
                    continue;
                }

                (double sum, double magnitude) = ExactDot(ad, c.Trans, i, j, c.K);
                comp.Add(got[i, j]);
                exp.Add((c.Alpha * sum) + (c.Beta == 0 ? 0 : c.Beta * c0[i, j]));
                mag.Add((Math.Abs(c.Alpha) * magnitude) + Math.Abs(c.Beta * c0[i, j]));
            }
        }

        // The bound of a double dot product: the float inputs' products are exact in double, so only the sums round.
        double ratio = Tolerance.ComponentwiseRatio<double>(comp.ToArray(), exp.ToArray(), mag.ToArray(), c.K);
        Assert.True(ratio <= 1.0, $"widening SYRK componentwise error ratio {ratio} > 1 (double bound) for {c}");
        Assert.True(cm.GuardsIntact() && a.GuardsIntact(), $"SYRK wrote outside its views for {c}");
    }

    [Fact]
    public void Gram_of_float_data_in_double_meets_the_double_bound_that_a_float_gram_misses()
    {
        // Tall float data with a large common offset (like pixels plus the bias column of ones): the Gram matrix's
        // entries are big sums of same-signed terms, where float accumulation loses digits that double keeps.
        const int m = 20000, n = 33;
        var rng = new Random(8);
        var a = new Matrix<float>(m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = j == n - 1 ? 1f : (float)(rng.NextDouble() + 0.5);
            }
        }

        var wide = new Matrix<double>(n, n);
        LinearAlgebra.Blas.SyrkWidening(Triangle.Lower, MatrixOp.Transpose, 1.0, a.AsReadOnlySpan(), 0.0, wide.AsSpan());
        var narrow = new Matrix<float>(n, n);
        LinearAlgebra.Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1f, a.AsReadOnlySpan(), 0f, narrow.AsSpan());
        double[,] ad = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ad[i, j] = a[i, j];
            }
        }

        double worstWide = 0, worstNarrow = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                (double exact, double magnitude) = ExactDot(ad, true, i, j, m);
                worstWide = Math.Max(worstWide, Math.Abs(wide[i, j] - exact) / magnitude);
                worstNarrow = Math.Max(worstNarrow, Math.Abs(narrow[i, j] - exact) / magnitude);
            }
        }

        // Relative to the entries: the double Gram is within m eps(double) (docs/lapack.md); a float Gram is not.
        double bound = m * Math.Pow(2, -53);
        Assert.True(worstWide <= bound, $"double Gram relative error {worstWide:E3} > m eps = {bound:E3}");
        Assert.True(worstNarrow > 1e3 * bound, $"float Gram relative error {worstNarrow:E3} unexpectedly small");
    }

    private static bool InTriangle(Triangle uplo, int i, int j) => uplo == Triangle.Lower ? j <= i : j >= i;

    /// <summary>sum_p op(A)[i, p] op(A)[j, p] summed with error-free transformations (the float products are exact in double), and sum |.|.</summary>
    private static (double Sum, double Magnitude) ExactDot(double[,] a, bool trans, int i, int j, int k)
    {
        double s = 0, e = 0, mag = 0;
        for (int p = 0; p < k; p++)
        {
            double t = trans ? a[p, i] * a[p, j] : a[i, p] * a[j, p];
            double x = s + t;
            double bp = x - s;
            e += (s - (x - bp)) + (t - bp);
            s = x;
            mag += Math.Abs(t);
        }

        return (s + e, mag);
    }
}
