using System.Numerics;
using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// The conv-unpool layer as arithmetic: im2col patches, depth-to-space and its inverse, the direct forward pass,
/// and the layer's dense operator matrix. Kernels are stored as <see cref="ConvUnpoolGeometry.KernelShape"/>
/// row-major, i.e. a <c>(c_out u^2) x (c_in k^2)</c> matrix whose row o is kernel o flattened as (c, a, e).
/// </summary>
public static class ConvUnpoolOperator
{
    /// <summary>
    /// im2col: writes the patch of every convolution position of one input map, one position per row
    /// (row <c>p w' + q</c>), taps in kernel order (c, a, e), zeros where the patch leaves the map; when the view
    /// has <see cref="ConvUnpoolGeometry.KernelUnknowns"/> columns the last one is set to 1 (the bias input).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer.</param>
    /// <param name="input">One input map, c_in h w values in CHW order.</param>
    /// <param name="patches">h' w' rows and c_in k^2 (or c_in k^2 + 1) columns.</param>
    /// <exception cref="ArgumentException">A shape does not match the geometry.</exception>
    public static void ExtractPatches<T>(ConvUnpoolGeometry geometry, ReadOnlySpan<T> input, MatrixSpan<T> patches)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        CheckLength(input.Length, geometry.InputLength, "input map");
        if (patches.Rows != geometry.Positions || (patches.Cols != geometry.KernelTaps && patches.Cols != geometry.KernelUnknowns))
        {
            throw new ArgumentException(
                $"The patch matrix is {patches.Rows}x{patches.Cols} but {geometry} needs {geometry.Positions}x{geometry.KernelTaps} " +
                $"(or x{geometry.KernelUnknowns} with the bias column).", nameof(patches));
        }

        int k = geometry.KernelSize;
        int h = geometry.Input.Height;
        int w = geometry.Input.Width;
        int pad = geometry.PadBefore;
        bool constant = patches.Cols == geometry.KernelUnknowns;
        for (int p = 0; p < geometry.ConvHeight; p++)
        {
            for (int q = 0; q < geometry.ConvWidth; q++)
            {
                Span<T> row = patches.Row((p * geometry.ConvWidth) + q);

                // Taps e with 0 <= q + e - pad < w form one contiguous run [e0, e1) of the input row.
                int x0 = q - pad;
                int e0 = Math.Max(0, -x0);
                int e1 = Math.Min(k, w - x0);
                for (int c = 0; c < geometry.InputChannels; c++)
                {
                    for (int a = 0; a < k; a++)
                    {
                        Span<T> taps = row.Slice(((c * k) + a) * k, k);
                        int y = p + a - pad;
                        if (y < 0 || y >= h || e1 <= e0)
                        {
                            taps.Clear();
                            continue;
                        }

                        taps[..e0].Clear();
                        input.Slice((((c * h) + y) * w) + x0 + e0, e1 - e0).CopyTo(taps[e0..e1]);
                        taps[e1..].Clear();
                    }
                }

                if (constant)
                {
                    row[^1] = T.One;
                }
            }
        }
    }

    /// <summary>
    /// Space-to-depth (the inverse of depth-to-space): reads one output map into a matrix of h' w' rows
    /// (convolution positions) and c_out u^2 columns (conv channels), the right-hand sides of the weight solve.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer.</param>
    /// <param name="output">One output map, c_out (u h') (u w') values in CHW order.</param>
    /// <param name="targets">h' w' x c_out u^2.</param>
    public static void SpaceToDepth<T>(ConvUnpoolGeometry geometry, ReadOnlySpan<T> output, MatrixSpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPositionMatrix(geometry, output.Length, targets.Rows, targets.Cols, nameof(targets));
        for (int r = 0; r < geometry.Positions; r++)
        {
            Span<T> row = targets.Row(r);
            for (int o = 0; o < row.Length; o++)
            {
                row[o] = output[geometry.OutputIndex(o, r)];
            }
        }
    }

    /// <summary>
    /// Depth-to-space: writes a matrix of h' w' rows (positions) and c_out u^2 columns (conv channels) into one
    /// output map of c_out x (u h') x (u w'), channel o of position (p, q) going to pixel (o / u^2, u p + i, u q + j).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer.</param>
    /// <param name="convOutput">h' w' x c_out u^2.</param>
    /// <param name="output">Receives the output map in CHW order.</param>
    public static void DepthToSpace<T>(ConvUnpoolGeometry geometry, ReadOnlyMatrixSpan<T> convOutput, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPositionMatrix(geometry, output.Length, convOutput.Rows, convOutput.Cols, nameof(convOutput));
        for (int r = 0; r < geometry.Positions; r++)
        {
            ReadOnlySpan<T> row = convOutput.Row(r);
            for (int o = 0; o < row.Length; o++)
            {
                output[geometry.OutputIndex(o, r)] = row[o];
            }
        }
    }

    /// <summary>
    /// Builds the layer's dense operator: <c>A</c> of (c_out u^2 h' w') x (c_in h w) and the expanded bias
    /// <c>beta</c> of c_out u^2 h' w' values such that, for any input map x (CHW), <c>A x + beta</c> is the
    /// pre-activation output map (CHW), convolution and depth-to-space included. Rows are output pixels, columns
    /// input pixels: a conv-unpool layer is the dense layer <c>W = A, b = beta</c> with shared weights.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer.</param>
    /// <param name="kernels">(c_out u^2) x (c_in k^2), row o = kernel o in (c, a, e) order.</param>
    /// <param name="bias">c_out u^2 values, one per conv channel.</param>
    /// <param name="matrix">Receives A; every element is written.</param>
    /// <param name="expandedBias">Receives beta.</param>
    public static void BuildDenseOperator<T>(ConvUnpoolGeometry geometry, ReadOnlyMatrixSpan<T> kernels, ReadOnlySpan<T> bias, MatrixSpan<T> matrix, Span<T> expandedBias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        CheckKernels(geometry, kernels, bias);
        if (matrix.Rows != geometry.OutputLength || matrix.Cols != geometry.InputLength)
        {
            throw new ArgumentException(
                $"The operator matrix is {matrix.Rows}x{matrix.Cols} but {geometry} needs {geometry.OutputLength}x{geometry.InputLength}.", nameof(matrix));
        }

        CheckLength(expandedBias.Length, geometry.OutputLength, "expanded bias");
        int k = geometry.KernelSize;
        int h = geometry.Input.Height;
        int w = geometry.Input.Width;
        int pad = geometry.PadBefore;
        matrix.Clear();
        for (int o = 0; o < geometry.ConvChannels; o++)
        {
            ReadOnlySpan<T> kernel = kernels.Row(o);
            for (int p = 0; p < geometry.ConvHeight; p++)
            {
                for (int q = 0; q < geometry.ConvWidth; q++)
                {
                    int r = geometry.OutputIndex(o, p, q);
                    expandedBias[r] = bias[o];
                    Span<T> row = matrix.Row(r);
                    int x0 = q - pad;
                    int e0 = Math.Max(0, -x0);
                    int e1 = Math.Min(k, w - x0);
                    if (e1 <= e0)
                    {
                        continue;
                    }

                    for (int c = 0; c < geometry.InputChannels; c++)
                    {
                        for (int a = 0; a < k; a++)
                        {
                            int y = p + a - pad;
                            if (y >= 0 && y < h)
                            {
                                kernel.Slice((((c * k) + a) * k) + e0, e1 - e0).CopyTo(row.Slice((((c * h) + y) * w) + x0 + e0, e1 - e0));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The direct forward pass without activation: for every row of <paramref name="inputs"/> (one input map),
    /// convolution by im2col and GEMM, bias, then depth-to-space into the same row of <paramref name="outputs"/>.
    /// Works on blocks of images so that the patch matrix never holds more than about <see cref="PatchBlockElements"/> values.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="geometry">The layer.</param>
    /// <param name="kernels">(c_out u^2) x (c_in k^2).</param>
    /// <param name="bias">c_out u^2 values.</param>
    /// <param name="inputs">N x c_in h w.</param>
    /// <param name="outputs">N x c_out (u h') (u w'); receives the pre-activation outputs.</param>
    public static void Forward<T>(ConvUnpoolGeometry geometry, ReadOnlyMatrixSpan<T> kernels, ReadOnlySpan<T> bias, ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        CheckKernels(geometry, kernels, bias);
        if (inputs.Cols != geometry.InputLength || outputs.Cols != geometry.OutputLength || inputs.Rows != outputs.Rows)
        {
            throw new ArgumentException(
                $"Inputs are {inputs.Rows}x{inputs.Cols} and outputs {outputs.Rows}x{outputs.Cols}, but {geometry} maps N x {geometry.InputLength} to N x {geometry.OutputLength}.");
        }

        int positions = geometry.Positions;
        int block = ImagesPerBlock(geometry);
        var patches = new Matrix<T>(block * positions, geometry.KernelTaps);
        var conv = new Matrix<T>(block * positions, geometry.ConvChannels);
        for (int n0 = 0; n0 < inputs.Rows; n0 += block)
        {
            int count = Math.Min(block, inputs.Rows - n0);
            for (int n = 0; n < count; n++)
            {
                ExtractPatches(geometry, inputs.Row(n0 + n), patches.Slice(n * positions, 0, positions, geometry.KernelTaps));
            }

            MatrixSpan<T> y = conv.Slice(0, 0, count * positions, geometry.ConvChannels);
            Blas.Gemm(T.One, patches.Slice(0, 0, count * positions, geometry.KernelTaps), MatrixOp.None, kernels, MatrixOp.Transpose, T.Zero, y);
            for (int n = 0; n < count; n++)
            {
                MatrixSpan<T> image = y.Slice(n * positions, 0, positions, geometry.ConvChannels);
                for (int r = 0; r < positions; r++)
                {
                    Span<T> row = image.Row(r);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
                }

                DepthToSpace<T>(geometry, image, outputs.Row(n0 + n));
            }
        }
    }

    /// <summary>The target size of a block of im2col patches (values), which bounds the memory of the direct pass and of the weight solve.</summary>
    public const int PatchBlockElements = 1 << 21;

    /// <summary>How many images' patches fit in one block of about <see cref="PatchBlockElements"/> values (at least one).</summary>
    /// <param name="geometry">The layer.</param>
    public static int ImagesPerBlock(ConvUnpoolGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return (int)Math.Max(1, PatchBlockElements / ((long)geometry.Positions * geometry.KernelUnknowns));
    }

    internal static void CheckKernels<T>(ConvUnpoolGeometry geometry, ReadOnlyMatrixSpan<T> kernels, ReadOnlySpan<T> bias)
        where T : unmanaged
    {
        if (kernels.Rows != geometry.ConvChannels || kernels.Cols != geometry.KernelTaps)
        {
            throw new ArgumentException(
                $"The kernel matrix is {kernels.Rows}x{kernels.Cols} but {geometry} has {geometry.ConvChannels} kernels of " +
                $"{geometry.InputChannels}x{geometry.KernelSize}x{geometry.KernelSize} = {geometry.KernelTaps} taps.", nameof(kernels));
        }

        CheckLength(bias.Length, geometry.ConvChannels, "bias");
    }

    private static void CheckPositionMatrix(ConvUnpoolGeometry geometry, int mapLength, int rows, int cols, string name)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        CheckLength(mapLength, geometry.OutputLength, "output map");
        if (rows != geometry.Positions || cols != geometry.ConvChannels)
        {
            throw new ArgumentException(
                $"The matrix is {rows}x{cols} but {geometry} needs {geometry.Positions} positions x {geometry.ConvChannels} conv channels.", name);
        }
    }

    private static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"The {what} has {actual} values; {expected} are needed.", what);
        }
    }
}
