using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// Fixed QR cases: a tall-skinny matrix, where the leaf sweeps are split into row chunks that run on several threads
/// (the factors must not depend on the thread count, and LAPACK's ratios must hold), and a regression case found by
/// the properties.
/// </summary>
public class QrFactTests
{
    /// <summary>
    /// Columns that shrink by cancellation (kappa 1e6) once made the fused leaf build a reflector from a separately
    /// rounded copy of the updated column (multiply-add vs FMA), leaving ||I - H^T H|| near 1e-13.
    /// </summary>
    [Fact]
    public void Reflectors_of_cancelled_columns_stay_orthogonal()
    {
        int m = 4, n = 8;
        double[,] a = LapackTestKit.Rounded<double>(WithCondition(m, n, 1e6, new Random(1545920842)));
        var qr = new QrFactorization<double>(LapackTestKit.Padded<double>(a, 0).View);
        var full = LapackTestKit.Padded<double>(Identity(m), 0);
        qr.ApplyQ(Side.Left, MatrixOp.None, full.View);
        double[,] q = full.ToDouble();
        double ratio = Norm1(Subtract(Identity(m), Multiply(Transpose(q), q))) / (m * LapackTestKit.Eps<double>());
        Assert.True(ratio <= LapackTestKit.Threshold, $"||I - Q^T Q|| / (m eps) = {ratio}");
    }

    [Theory]
    [InlineData(InstructionSet.Vector512)]
    [InlineData(InstructionSet.Vector256)]
    [InlineData(InstructionSet.Scalar)]
    public void Tall_factorization_is_thread_count_independent_and_accurate(InstructionSet isa)
    {
        int m = 20000, n = 37;
        // A tall Gaussian (condition close to 1) times diag(sigma) V^T: condition about 1e4 without an m x m orthogonal factor.
        var rng = new Random(8);
        var g = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                g[i, j] = Gaussian(rng) * Math.Pow(1e4, -(double)j / (n - 1));
            }
        }

        double[,] a = LapackTestKit.Rounded<double>(Multiply(g, Transpose(RandomOrthogonal(n, rng))));
        Matrix<double> Factor(int threads, out double[] tau)
        {
            var f = new Matrix<double>(m, n);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    f[i, j] = a[i, j];
                }
            }

            tau = new double[n];
            using (LinearAlgebraSettings.Override(isa, null, threads))
            {
                LinearAlgebra.Lapack.QrFactor(f.AsSpan(), tau);
            }

            return f;
        }

        Matrix<double> one = Factor(1, out double[] tau1);
        Matrix<double> two = Factor(2, out double[] tau2);
        Assert.Equal(one.ToArray(), two.ToArray());
        Assert.Equal(tau1, tau2);

        var q = new Matrix<double>(m, n);
        LinearAlgebra.Lapack.QrFormQ<double>(one.AsReadOnlySpan(), tau1, q.AsSpan());
        double[,] qd = LapackTestKit.ToDouble(q.AsReadOnlySpan());
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                r[i, j] = one[i, j];
            }
        }

        double eps = LapackTestKit.Eps<double>();
        double factorRatio = Norm1(Subtract(a, Multiply(qd, r))) / (m * Norm1(a) * eps);
        double orthRatio = Norm1(Subtract(Identity(n), Multiply(Transpose(qd), qd))) / (m * eps);
        Assert.True(factorRatio <= LapackTestKit.Threshold, $"||A - QR|| ratio {factorRatio}");
        Assert.True(orthRatio <= LapackTestKit.Threshold, $"||I - Q^T Q|| ratio {orthRatio}");
    }
}
