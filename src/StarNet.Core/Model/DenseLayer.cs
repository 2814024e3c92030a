using System.Numerics;
using StarNet.LinearAlgebra;

namespace StarNet.Model;

/// <summary>
/// One trained decoder layer, <c>h_out = a(W h_in + b)</c>: the paper's augmented matrix <c>W_i</c> of
/// d_i x (d_(i-1) + 1) stored as its two parts, the weight <c>W</c> (d_i x d_(i-1), row-major, one row per
/// output unit, as PyTorch's Linear stores it) and the bias <c>b</c> (its last column, contiguous). Immutable.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class DenseLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _weight;
    private readonly T[] _bias;

    /// <summary>Creates a layer from copies of a weight matrix and a bias vector.</summary>
    /// <param name="weight">W, d_out x d_in.</param>
    /// <param name="bias">b, d_out values.</param>
    /// <exception cref="ArgumentException">The bias length is not the weight's row count, or a value is not finite.</exception>
    public DenseLayer(ReadOnlyMatrixSpan<T> weight, ReadOnlySpan<T> bias)
    {
        if (bias.Length != weight.Rows)
        {
            throw new ArgumentException($"The bias has {bias.Length} values but the weight has {weight.Rows} rows (output units).", nameof(bias));
        }

        if (weight.Rows == 0 || weight.Cols == 0)
        {
            throw new ArgumentException($"A layer needs at least one input and one output; the weight is {weight.Rows}x{weight.Cols}.", nameof(weight));
        }

        _weight = Matrix<T>.CopyOf(weight);
        _bias = bias.ToArray();
        for (int i = 0; i < weight.Rows; i++)
        {
            if (!AllFinite(_weight.AsReadOnlySpan().Row(i)))
            {
                throw new ArgumentException($"Row {i} of the weight holds a NaN or infinity.", nameof(weight));
            }
        }

        if (!AllFinite(_bias))
        {
            throw new ArgumentException("The bias holds a NaN or infinity.", nameof(bias));
        }
    }

    /// <summary>d_(i-1), the number of inputs (excluding the constant bias input).</summary>
    public int InputWidth => _weight.Cols;

    /// <summary>d_i, the number of outputs.</summary>
    public int OutputWidth => _weight.Rows;

    /// <summary>W, d_i x d_(i-1): output unit j computes <c>dot(W.Row(j), h) + b[j]</c>.</summary>
    public ReadOnlyMatrixSpan<T> Weight => _weight.AsReadOnlySpan();

    /// <summary>b, the last column of the paper's augmented W_i (the weight of the constant input 1).</summary>
    public ReadOnlySpan<T> Bias => _bias;

    internal Matrix<T> WeightMatrix => _weight;

    internal T[] BiasArray => _bias;

    internal static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (T v in values)
        {
            if (!T.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}
