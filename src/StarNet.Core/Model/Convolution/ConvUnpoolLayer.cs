using System.Numerics;
using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// One trained conv-unpool layer: its <see cref="ConvUnpoolGeometry"/>, c_out u^2 kernels of c_in x k x k and one
/// bias per kernel (per conv channel). Pre-activation output = depth-to-space(conv(x, K) + b). Immutable.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ConvUnpoolLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _kernels;
    private readonly T[] _bias;
    private (Matrix<T> Operator, T[] Bias)? _dense;

    /// <summary>Creates a layer from copies of its kernels and bias.</summary>
    /// <param name="geometry">The shapes.</param>
    /// <param name="kernels">(c_out u^2) x (c_in k^2): row o is kernel o, laid out as the [c_in, k, k] tensor.</param>
    /// <param name="bias">c_out u^2 values.</param>
    /// <exception cref="ArgumentException">A shape does not match the geometry, or a value is not finite.</exception>
    public ConvUnpoolLayer(ConvUnpoolGeometry geometry, ReadOnlyMatrixSpan<T> kernels, ReadOnlySpan<T> bias)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ConvUnpoolOperator.CheckKernels(geometry, kernels, bias);
        Geometry = geometry;
        _kernels = Matrix<T>.CopyOf(kernels);
        _bias = bias.ToArray();
        for (int o = 0; o < geometry.ConvChannels; o++)
        {
            if (!DenseLayer<T>.AllFinite(_kernels.AsReadOnlySpan().Row(o)))
            {
                throw new ArgumentException($"Kernel {o} of {geometry} holds a NaN or infinity.", nameof(kernels));
            }
        }

        if (!DenseLayer<T>.AllFinite(_bias))
        {
            throw new ArgumentException($"The bias of {geometry} holds a NaN or infinity.", nameof(bias));
        }
    }

    /// <summary>The shapes.</summary>
    public ConvUnpoolGeometry Geometry { get; }

    /// <summary>The kernels as a (c_out u^2) x (c_in k^2) matrix, i.e. the [c_out u^2, c_in, k, k] tensor in row-major order.</summary>
    public ReadOnlyMatrixSpan<T> Kernels => _kernels.AsReadOnlySpan();

    /// <summary>One bias per conv channel (c_out u^2 values).</summary>
    public ReadOnlySpan<T> Bias => _bias;

    /// <summary>The largest dense operator (elements) that <see cref="Forward"/> forms and multiplies instead of convolving directly.</summary>
    public const long DenseForwardLimit = 1L << 24;

    /// <summary>
    /// The pre-activation outputs of many input maps: one GEMM with the cached dense operator when it has at most
    /// <see cref="DenseForwardLimit"/> elements (the paper's image sizes), otherwise direct convolution (im2col + GEMM)
    /// and depth-to-space. Both give the same values up to rounding.
    /// </summary>
    /// <param name="inputs">N x c_in h w.</param>
    /// <param name="outputs">N x c_out (u h') (u w').</param>
    public void Forward(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs)
    {
        if ((long)Geometry.OutputLength * Geometry.InputLength > DenseForwardLimit)
        {
            ConvUnpoolOperator.Forward(Geometry, Kernels, Bias, inputs, outputs);
            return;
        }

        if (inputs.Cols != Geometry.InputLength || outputs.Cols != Geometry.OutputLength || inputs.Rows != outputs.Rows)
        {
            throw new ArgumentException(
                $"Inputs are {inputs.Rows}x{inputs.Cols} and outputs {outputs.Rows}x{outputs.Cols}, but {Geometry} maps N x {Geometry.InputLength} to N x {Geometry.OutputLength}.");
        }

        (Matrix<T> a, T[] beta) = Dense;
        Blas.Gemm(T.One, inputs, MatrixOp.None, a.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, outputs);
        for (int r = 0; r < outputs.Rows; r++)
        {
            Span<T> row = outputs.Row(r);
            System.Numerics.Tensors.TensorPrimitives.Add(row, beta, row);
        }
    }

    /// <summary>The dense operator and expanded bias (<see cref="ToDense"/>), formed on first use and kept.</summary>
    internal (Matrix<T> Operator, T[] Bias) Dense => _dense ??= ToDense();

    /// <summary>
    /// The layer as a dense affine map: <c>A</c> of (c_out u^2 h' w') x (c_in h w) and <c>beta</c>, with
    /// <c>A x + beta</c> equal to <see cref="Forward"/> for every input map x.
    /// </summary>
    /// <returns>The operator matrix and the expanded bias.</returns>
    public (Matrix<T> Operator, T[] Bias) ToDense()
    {
        var a = new Matrix<T>(Geometry.OutputLength, Geometry.InputLength);
        var beta = new T[Geometry.OutputLength];
        ConvUnpoolOperator.BuildDenseOperator(Geometry, Kernels, Bias, a.AsSpan(), beta);
        return (a, beta);
    }

    /// <summary>The layer as the <see cref="DenseLayer{T}"/> <c>W = A, b = beta</c> (<see cref="ToDense"/>), the form the trainer, encoder and decoder pass work with.</summary>
    public DenseLayer<T> ToDenseLayer()
    {
        (Matrix<T> a, T[] beta) = Dense;
        return new DenseLayer<T>(a.AsReadOnlySpan(), beta);
    }
}
