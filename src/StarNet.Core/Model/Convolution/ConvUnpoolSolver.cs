using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.Solvers;

namespace StarNet.Model.Convolution;

/// <summary>
/// The two least-squares solves of a conv-unpool layer (paper section 3.2): for the latents (Theorem 3), against
/// the layer's dense operator, all images at once; and for the kernels (Theorem 4), im2col patches against
/// space-to-depth targets, all conv channels as right-hand sides of one factorization.
/// </summary>
/// <remarks>Both work in double internally whatever <c>T</c> is: the systems are small and their conditioning matters.</remarks>
public static class ConvUnpoolSolver
{
    /// <summary>Rows of targets per GEMM block in the latent solve.</summary>
    private const int LatentBlockRows = 2048;

    /// <summary>
    /// Solves every image's latents: <c>latents[n] = argmin_h ||A h + beta - targets[n]||^2 + ridge ||h||^2</c>
    /// with A the layer's dense operator, formed once and factored once (its pseudo-inverse), then applied to all
    /// images as one GEMM per block of rows.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="targets">N x c_out (u h') (u w'): pre-activation outputs (the activation already inverted).</param>
    /// <param name="latents">Receives N x c_in h w.</param>
    /// <param name="ridge">Non-negative ridge; 0 (the paper) for plain least squares.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or Theorem 3 fails for the layer.</exception>
    /// <exception cref="InvalidOperationException">The operator is numerically rank deficient.</exception>
    public static void SolveLatents<T>(ConvUnpoolLayer<T> layer, ReadOnlyMatrixSpan<T> targets, MatrixSpan<T> latents, double ridge = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        ConvUnpoolGeometry g = layer.Geometry;
        if (targets.Cols != g.OutputLength || latents.Cols != g.InputLength || targets.Rows != latents.Rows)
        {
            throw new ArgumentException(
                $"Targets are {targets.Rows}x{targets.Cols} and latents {latents.Rows}x{latents.Cols}, but {g} solves N x {g.OutputLength} into N x {g.InputLength}.");
        }

        if (ridge == 0)
        {
            g.ThrowIfUndetermined("The layer");
        }

        (Matrix<T> a, T[] beta) = layer.Dense;
        // Factored once (QR, in double), applied to every image as one GEMM per block: the same pseudo-inverse
        // path as a dense layer's latent solve, with W = A.
        var pd = new Matrix<double>(g.InputLength, g.OutputLength);
        LayerSolver.PseudoInverse<double>(Convert<T, double>(a.AsReadOnlySpan()).AsReadOnlySpan(), pd.AsSpan(), ridge);
        Matrix<T> p = Convert<double, T>(pd.AsReadOnlySpan());

        int block = Math.Min(LatentBlockRows, Math.Max(1, targets.Rows));
        var shifted = new Matrix<T>(block, g.OutputLength);
        for (int r0 = 0; r0 < targets.Rows; r0 += block)
        {
            int rows = Math.Min(block, targets.Rows - r0);
            for (int r = 0; r < rows; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.Subtract(targets.Row(r0 + r), beta, shifted.AsSpan().Row(r));
            }

            Blas.Gemm(T.One, shifted.Slice(0, 0, rows, g.OutputLength), MatrixOp.None, p.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, latents.Slice(r0, 0, rows, g.InputLength));
        }
    }

    /// <summary>
    /// Solves the kernels and biases: for every subset of images, the im2col least squares
    /// <c>min ||[P 1] X - Y||^2 + ridge ||X||^2</c> with P the patches of the subset's input maps (one row per image and
    /// position) and Y their space-to-depth targets (one column per conv channel), streamed in blocks of images so the
    /// patch matrix is never held whole; with several subsets the solutions are averaged (paper Lemma 8, option 2).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer's shapes.</param>
    /// <param name="inputs">N x c_in h w: the layer's input maps (the current latents).</param>
    /// <param name="targets">N x c_out (u h') (u w'): pre-activation targets.</param>
    /// <param name="subsets">One or more lists of image indices; each gives one solve.</param>
    /// <param name="ridge">Non-negative ridge.</param>
    /// <param name="method">Streamed Householder QR (default) or the normal equations (faster, kappa^2 eps).</param>
    /// <param name="cancellationToken">Stops between blocks of images.</param>
    /// <returns>The layer with the solved (or averaged) kernels and biases.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, an index is out of range, or Theorem 4 fails for a subset.</exception>
    /// <exception cref="InvalidOperationException">A patch matrix is numerically rank deficient.</exception>
    public static ConvUnpoolLayer<T> SolveKernels<T>(
        ConvUnpoolGeometry geometry,
        ReadOnlyMatrixSpan<T> inputs,
        ReadOnlyMatrixSpan<T> targets,
        IReadOnlyList<IReadOnlyList<int>> subsets,
        double ridge = 0,
        LeastSquaresMethod method = LeastSquaresMethod.HouseholderQR,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SolveKernels(geometry, inputs, targets, subsets, ridge, method, out _, cancellationToken);

    /// <summary>As the public overload, also returning the largest condition estimate of the subsets' patch matrices (NaN with the normal equations).</summary>
    internal static ConvUnpoolLayer<T> SolveKernels<T>(
        ConvUnpoolGeometry geometry,
        ReadOnlyMatrixSpan<T> inputs,
        ReadOnlyMatrixSpan<T> targets,
        IReadOnlyList<IReadOnlyList<int>> subsets,
        double ridge,
        LeastSquaresMethod method,
        out double condition,
        CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        condition = 0;
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(subsets);
        ConvUnpoolGeometry g = geometry;
        if (inputs.Cols != g.InputLength || targets.Cols != g.OutputLength || inputs.Rows != targets.Rows)
        {
            throw new ArgumentException(
                $"Inputs are {inputs.Rows}x{inputs.Cols} and targets {targets.Rows}x{targets.Cols}, but {g} needs N x {g.InputLength} and N x {g.OutputLength}.");
        }

        if (subsets.Count == 0)
        {
            throw new ArgumentException("At least one subset of images is needed.", nameof(subsets));
        }

        int positions = g.Positions;
        int block = ConvUnpoolOperator.ImagesPerBlock(g);
        var input = new double[g.InputLength];
        var target = new double[g.OutputLength];
        var solution = new Matrix<double>(g.KernelUnknowns, g.ConvChannels);
        var sum = new Matrix<double>(g.KernelUnknowns, g.ConvChannels);
        foreach (IReadOnlyList<int> subset in subsets)
        {
            if (ridge == 0)
            {
                g.ThrowIfUndetermined("The layer", subset.Count);
            }

            var solver = new StreamingLeastSquares(g.KernelUnknowns, g.ConvChannels, method);
            for (int i0 = 0; i0 < subset.Count; i0 += block)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(block, subset.Count - i0);
                solver.Reserve(count * positions);
                MatrixSpan<double> patches = solver.BlockA(count * positions);
                MatrixSpan<double> rhs = solver.BlockB(count * positions);
                for (int i = 0; i < count; i++)
                {
                    int n = subset[i0 + i];
                    if ((uint)n >= (uint)inputs.Rows)
                    {
                        throw new ArgumentException($"Image index {n} is outside the {inputs.Rows} images.", nameof(subsets));
                    }

                    System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, double>(inputs.Row(n), input);
                    System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, double>(targets.Row(n), target);
                    ConvUnpoolOperator.ExtractPatches<double>(g, input, patches.Slice(i * positions, 0, positions, g.KernelUnknowns));
                    ConvUnpoolOperator.SpaceToDepth<double>(g, target, rhs.Slice(i * positions, 0, positions, g.ConvChannels));
                }

                solver.Add(count * positions);
            }

            try
            {
                double estimate = solver.Solve(ridge, solution.AsSpan());
                condition = double.IsNaN(estimate) ? double.NaN : Math.Max(condition, estimate);
            }
            catch (Exception ex) when (ex is RankDeficientException or MatrixNotPositiveDefiniteException)
            {
                throw new InvalidOperationException($"The im2col patches of {g} ({subset.Count} images, weight solve) are numerically rank deficient: {ex.Message}", ex);
            }

            for (int t = 0; t < g.KernelUnknowns; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sum.AsReadOnlySpan().Row(t), solution.AsReadOnlySpan().Row(t), sum.AsSpan().Row(t));
            }
        }

        // X is (taps + 1) x channels: kernel o is column o without its last entry, the bias is the last row.
        var kernels = new Matrix<T>(g.ConvChannels, g.KernelTaps);
        var bias = new T[g.ConvChannels];
        double scale = 1.0 / subsets.Count;
        for (int o = 0; o < g.ConvChannels; o++)
        {
            for (int t = 0; t < g.KernelTaps; t++)
            {
                kernels[o, t] = T.CreateTruncating(sum[t, o] * scale);
            }

            bias[o] = T.CreateTruncating(sum[g.KernelTaps, o] * scale);
        }

        return new ConvUnpoolLayer<T>(g, kernels.AsReadOnlySpan(), bias);
    }

    private static Matrix<TTo> Convert<TFrom, TTo>(ReadOnlyMatrixSpan<TFrom> source)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
        where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        var m = new Matrix<TTo>(source.Rows, source.Cols);
        for (int i = 0; i < source.Rows; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<TFrom, TTo>(source.Row(i), m.AsSpan().Row(i));
        }

        return m;
    }
}
