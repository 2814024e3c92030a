using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Numerics;

namespace StarNet.Inference;

/// <summary>
/// The decoder's forward pass, <c>h_i = a(W_i h_(i-1) + b_i)</c> layer after layer, on blocks of rows
/// (datapoints as rows: <c>H_i = a(H_(i-1) W_i^T + 1 b_i^T)</c>). Blocks of <see cref="ChunkRows"/> rows keep the
/// intermediate layers in per-thread buffers, so a warm call allocates nothing; a one-row block runs on GEMV.
/// </summary>
internal static class DecoderPass
{
    /// <summary>Rows per block: large enough for GEMM to run near full speed, small enough that intermediates stay small.</summary>
    public const int ChunkRows = 256;

    /// <summary>Decodes every row of <paramref name="input"/> through <paramref name="layers"/> in order into <paramref name="output"/>.</summary>
    /// <param name="layers">Consecutive layers; the first takes <paramref name="input"/>.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <param name="input">Inputs of the first layer, one per row.</param>
    /// <param name="output">Receives the last layer's outputs; must not overlap the input.</param>
    public static void Forward<T>(ReadOnlySpan<DenseLayer<T>> layers, Activation activation, ReadOnlyMatrixSpan<T> input, MatrixSpan<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r0 = 0; r0 < input.Rows; r0 += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, input.Rows - r0);
            ReadOnlyMatrixSpan<T> current = input.Slice(r0, 0, rows, input.Cols);
            for (int j = 0; j < layers.Length; j++)
            {
                DenseLayer<T> layer = layers[j];
                MatrixSpan<T> next = j == layers.Length - 1
                    ? output.Slice(r0, 0, rows, output.Cols)
                    : RowProducts.Buffer<T>(j % 2 == 0 ? BufferSlot.DecodeA : BufferSlot.DecodeB, rows, layer.OutputWidth);
                RowProducts.MultiplyTransposed(current, layer.Weight, T.Zero, next);
                for (int r = 0; r < rows; r++)
                {
                    Span<T> row = next.Row(r);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, layer.Bias, row);
                    activation.Apply<T>(row, row);
                }

                current = next;
            }
        }
    }
}
