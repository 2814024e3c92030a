using System.Numerics;
using StarNet.Distributed;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Numerics;

namespace StarNet.Training;

/// <summary>
/// Gauge fixing between layers (issue #8): an invertible affine change of the latents a layer hands down,
/// <c>h' = A h + s</c>, with the inverse absorbed into that layer (<c>W' = W A^-1</c>, <c>b' = b - W' s</c>) so that its
/// output <c>W' h' + b' = W h + b</c> is unchanged. The small d x d maps are computed in double from moments reduced
/// over every rank (the same map on every rank); the N x d latents are transformed in the model's precision.
/// </summary>
internal static class LatentGauge
{
    private const int BlockRows = 4096;

    /// <summary>The half-width of the target interval of tanh latents, <c>[-r, r]</c> (atanh(0.5) = 0.55: nearly linear).</summary>
    private const double TanhRange = 0.5;

    /// <summary>Re-coordinatises <paramref name="latents"/> (N x d, this rank's rows) by <paramref name="gauge"/> and returns the latents and the layer above with the inverse absorbed.</summary>
    /// <param name="gauge">Which gauge.</param>
    /// <param name="latents">The latents (inputs of <paramref name="upper"/>); may be returned transformed in place or replaced.</param>
    /// <param name="upper">The layer whose inputs they are.</param>
    /// <param name="activation">The decoder's activation (the latents are outputs of the layer below).</param>
    /// <param name="shard">The rows of the job (moments are reduced over every rank).</param>
    /// <param name="layer">The number of <paramref name="upper"/>, for error messages.</param>
    /// <returns>The new latents and the new layer.</returns>
    /// <exception cref="InvalidOperationException">Whitening met latents whose covariance is not positive definite.</exception>
    public static (Matrix<T> Latents, DenseLayer<T> Upper) Apply<T>(GaugeFixing gauge, Matrix<T> latents, DenseLayer<T> upper, Activation activation, TrainingShard shard, int layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gauge == GaugeFixing.None)
        {
            return (latents, upper);
        }

        int d = upper.InputWidth;
        Matrix<double> w = ToDouble(upper.Weight);
        double[] b = [.. ToDouble(upper.Bias)];
        if (gauge is GaugeFixing.Whiten or GaugeFixing.PrincipalAxes or GaugeFixing.PrincipalAxesInRange)
        {
            (double[] mean, Matrix<double> covariance) = Moments(latents.AsReadOnlySpan(), shard);
            Matrix<double> a, inverse;
            if (gauge == GaugeFixing.Whiten)
            {
                // C = L L^T: h' = L^-1 (h - mean) has covariance I; A^-1 = L.
                inverse = Matrix<double>.CopyOf(covariance.AsReadOnlySpan());
                if (!Lapack.TryCholeskyFactor(inverse.AsSpan(), Triangle.Lower, out int pivot, out double value))
                {
                    throw new InvalidOperationException(
                        $"Gauge fixing (whiten) after layer {layer}: the covariance of the {d} latents handed down is not positive definite (pivot {pivot} is {value:G3}); the latents are (numerically) collinear. Use GaugeFixing.PrincipalAxes, which does not invert it.");
                }

                ClearUpper(inverse.AsSpan());
                a = Identity(d);
                Blas.Trsm(Side.Left, Triangle.Lower, MatrixOp.None, DiagonalKind.NonUnit, 1.0, inverse.AsReadOnlySpan(), a.AsSpan());
            }
            else
            {
                // W = Q R; R C R^T = U diag U^T: h' = U^T R (h - mean), W' = W R^-1 U = Q U (orthonormal columns).
                Matrix<double> r = new QrFactorization<double>(w.AsReadOnlySpan()).GetR();
                var rc = new Matrix<double>(d, d);
                var rcr = new Matrix<double>(d, d);
                Blas.Gemm(1.0, r.AsReadOnlySpan(), MatrixOp.None, covariance.AsReadOnlySpan(), MatrixOp.None, 0.0, rc.AsSpan());
                Blas.Gemm(1.0, rc.AsReadOnlySpan(), MatrixOp.None, r.AsReadOnlySpan(), MatrixOp.Transpose, 0.0, rcr.AsSpan());
                var u = new Matrix<double>(d, d);
                SymmetricEigen.Decompose(rcr.AsReadOnlySpan(), new double[d], u.AsSpan());
                a = new Matrix<double>(d, d);
                Blas.Gemm(1.0, u.AsReadOnlySpan(), MatrixOp.Transpose, r.AsReadOnlySpan(), MatrixOp.None, 0.0, a.AsSpan());
                inverse = Matrix<double>.CopyOf(u.AsReadOnlySpan());
                Blas.Trsm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, 1.0, r.AsReadOnlySpan(), inverse.AsSpan());
            }

            var shift = new double[d];
            Blas.Gemv(-1.0, a.AsReadOnlySpan(), MatrixOp.None, mean, 0.0, shift);
            latents = Transform(latents, a, shift);
            var absorbed = new Matrix<double>(w.Rows, d);
            Blas.Gemm(1.0, w.AsReadOnlySpan(), MatrixOp.None, inverse.AsReadOnlySpan(), MatrixOp.None, 0.0, absorbed.AsSpan());
            w = absorbed;
            Absorb(w, b, shift);
        }

        if (gauge is GaugeFixing.ActivationRange or GaugeFixing.PrincipalAxesInRange && activation.Kind != ActivationKind.Identity)
        {
            (double[] scale, double[] shift) = RangeMap(latents, activation, shard);
            ScaleAndShift(latents, scale, shift);
            for (int i = 0; i < w.Rows; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    w[i, j] /= scale[j];
                }
            }

            Absorb(w, b, shift);
        }

        var weight = new Matrix<T>(w.Rows, d);
        for (int i = 0; i < w.Rows; i++)
        {
            for (int j = 0; j < d; j++)
            {
                weight[i, j] = T.CreateTruncating(w[i, j]);
            }
        }

        return (latents, new DenseLayer<T>(weight.AsReadOnlySpan(), [.. b.Select(v => T.CreateTruncating(v))]));
    }

    /// <summary>
    /// Per latent coordinate, <c>h' = scale h + shift</c> into the activation's linear range: for leaky ReLU the smallest
    /// latent becomes 0 (scale 1: the map is positively homogeneous), for tanh the range becomes [-0.5, 0.5], for
    /// sigmoid [0.25, 0.75].
    /// </summary>
    private static (double[] Scale, double[] Shift) RangeMap<T>(Matrix<T> latents, Activation activation, TrainingShard shard)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = latents.Cols;
        var extremes = new double[2 * d];
        extremes.AsSpan().Fill(double.NegativeInfinity);
        ReadOnlyMatrixSpan<T> h = latents.AsReadOnlySpan();
        for (int r = 0; r < h.Rows; r++)
        {
            ReadOnlySpan<T> row = h.Row(r);
            for (int j = 0; j < d; j++)
            {
                double v = double.CreateTruncating(row[j]);
                extremes[j] = Math.Max(extremes[j], -v);
                extremes[d + j] = Math.Max(extremes[d + j], v);
            }
        }

        shard.Max(extremes);
        var scale = new double[d];
        var shift = new double[d];
        for (int j = 0; j < d; j++)
        {
            double lo = -extremes[j], hi = extremes[d + j];
            double width = hi > lo ? hi - lo : 1.0;
            (scale[j], shift[j]) = activation.Kind switch
            {
                ActivationKind.LeakyRelu => (1.0, -lo),
                ActivationKind.Tanh => (2 * TanhRange / width, -TanhRange - (2 * TanhRange / width * lo)),
                _ => (0.5 / width, 0.25 - (0.5 / width * lo)),
            };
        }

        return (scale, shift);
    }

    /// <summary>b' = b - W' s: the bias that keeps <c>W' h' + b'</c> equal to <c>W h + b</c> after <c>h' = A h + s</c>.</summary>
    private static void Absorb(Matrix<double> absorbedWeight, double[] bias, double[] shift) =>
        Blas.Gemv(-1.0, absorbedWeight.AsReadOnlySpan(), MatrixOp.None, shift, 1.0, bias);

    /// <summary>The mean and covariance (divisor N) of the rows of every rank, in double, by two passes (the second over centred blocks).</summary>
    internal static (double[] Mean, Matrix<double> Covariance) Moments<T>(ReadOnlyMatrixSpan<T> latents, TrainingShard shard)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = latents.Cols, n = latents.Rows;
        ReadOnlyMatrixSpan<T> h = latents;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<T> row = h.Row(r);
            for (int j = 0; j < d; j++)
            {
                mean[j] += double.CreateTruncating(row[j]);
            }
        }

        shard.Sum(mean);
        double total = shard.TotalRows;
        for (int j = 0; j < d; j++)
        {
            mean[j] /= total;
        }

        var gram = new Matrix<double>(d, d);
        var block = new Matrix<double>(Math.Max(1, Math.Min(BlockRows, n)), d);
        for (int r0 = 0; r0 < n; r0 += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - r0);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> row = h.Row(r0 + r);
                Span<double> target = block.AsSpan().Row(r);
                for (int j = 0; j < d; j++)
                {
                    target[j] = double.CreateTruncating(row[j]) - mean[j];
                }
            }

            Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, block.AsReadOnlySpan().Slice(0, 0, rows, d), 1.0, gram.AsSpan());
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                gram[j, i] = gram[i, j];
            }
        }

        shard.Sum(gram.Span);
        foreach (ref double v in gram.Span)
        {
            v /= total;
        }

        return (mean, gram);
    }

    /// <summary>A new N x d matrix <c>H A^T + 1 s^T</c> (each row h becomes A h + s).</summary>
    private static Matrix<T> Transform<T>(Matrix<T> latents, Matrix<double> a, double[] shift)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int d = a.Rows;
        var at = new Matrix<T>(d, d);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                at[i, j] = T.CreateTruncating(a[i, j]);
            }
        }

        var result = new Matrix<T>(latents.Rows, d);
        RowProducts.FillRows(result.AsSpan(), [.. shift.Select(v => T.CreateTruncating(v))], T.One);
        Blas.Gemm(T.One, latents.AsReadOnlySpan(), MatrixOp.None, at.AsReadOnlySpan(), MatrixOp.Transpose, T.One, result.AsSpan());
        return result;
    }

    private static void ScaleAndShift<T>(Matrix<T> latents, double[] scale, double[] shift)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] s = [.. scale.Select(v => T.CreateTruncating(v))], c = [.. shift.Select(v => T.CreateTruncating(v))];
        MatrixSpan<T> h = latents.AsSpan();
        for (int r = 0; r < h.Rows; r++)
        {
            Span<T> row = h.Row(r);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = (s[j] * row[j]) + c[j];
            }
        }
    }

    private static Matrix<double> ToDouble<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new Matrix<double>(m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                result[i, j] = double.CreateTruncating(m[i, j]);
            }
        }

        return result;
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            result[i] = double.CreateTruncating(v[i]);
        }

        return result;
    }

    private static Matrix<double> Identity(int d)
    {
        var m = new Matrix<double>(d, d);
        for (int i = 0; i < d; i++)
        {
            m[i, i] = 1;
        }

        return m;
    }

    private static void ClearUpper(MatrixSpan<double> m)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            m.Row(i)[(i + 1)..].Clear();
        }
    }
}
