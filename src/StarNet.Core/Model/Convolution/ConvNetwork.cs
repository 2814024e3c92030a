using System.Collections.ObjectModel;
using System.Numerics;
using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// A convolutional StarNet decoder: conv-unpool layers, latent first, each followed by leaky ReLU. Decoding runs the
/// layers forward; encoding solves each layer's latents from the data end down (paper Lemma 3), so a datapoint's
/// latent code is found without gradients.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ConvNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a network.</summary>
    /// <param name="layers">The layers, latent first; each one's output map must be the next one's input map.</param>
    /// <param name="negativeSlope">The leaky ReLU slope after every layer (the paper's 0.5).</param>
    /// <exception cref="ArgumentException">No layers, consecutive shapes do not chain, or the slope is not positive and finite.</exception>
    public ConvNetwork(IEnumerable<ConvUnpoolLayer<T>> layers, double negativeSlope = 0.5)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ConvUnpoolLayer<T>[] list = [.. layers];
        if (list.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        for (int i = 1; i < list.Length; i++)
        {
            if (list[i - 1].Geometry.Output != list[i].Geometry.Input)
            {
                throw new ArgumentException(
                    $"Layer {i} produces {list[i - 1].Geometry.Output} but layer {i + 1} takes {list[i].Geometry.Input}.", nameof(layers));
            }
        }

        if (!(negativeSlope > 0) || !double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The leaky ReLU slope must be finite and positive (invertible).");
        }

        Layers = new ReadOnlyCollection<ConvUnpoolLayer<T>>(list);
        NegativeSlope = negativeSlope;
    }

    /// <summary>The layers, latent first.</summary>
    public IReadOnlyList<ConvUnpoolLayer<T>> Layers { get; }

    /// <summary>The leaky ReLU slope.</summary>
    public double NegativeSlope { get; }

    /// <summary>Values in one latent code (the first layer's input map).</summary>
    public int LatentLength => Layers[0].Geometry.InputLength;

    /// <summary>Values in one datapoint (the last layer's output map).</summary>
    public int OutputLength => Layers[^1].Geometry.OutputLength;

    /// <summary>Decodes inputs of layer <paramref name="firstLayer"/> (0-based) through it and every layer above into data.</summary>
    /// <param name="inputs">N x (input length of that layer).</param>
    /// <param name="outputs">N x <see cref="OutputLength"/>.</param>
    /// <param name="firstLayer">0 to decode latent codes.</param>
    public void Decode(ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs, int firstLayer = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstLayer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstLayer, Layers.Count);
        Matrix<T>? current = null;
        for (int i = firstLayer; i < Layers.Count; i++)
        {
            MatrixSpan<T> next = i == Layers.Count - 1 ? outputs : new Matrix<T>(inputs.Rows, Layers[i].Geometry.OutputLength).AsSpan();
            Layers[i].Forward(current is null ? inputs : current.AsReadOnlySpan(), next);
            ApplyActivation(next);
            current = i == Layers.Count - 1 ? null : Matrix<T>.CopyOf(next);
        }
    }

    /// <summary>
    /// Encodes data into latent codes by solving each layer's latents in turn from the data end (the activation
    /// inverted before each solve).
    /// </summary>
    /// <param name="data">N x <see cref="OutputLength"/>.</param>
    /// <param name="latents">Receives N x <see cref="LatentLength"/>.</param>
    /// <param name="ridge">Ridge of every latent solve; 0 for plain least squares.</param>
    public void Encode(ReadOnlyMatrixSpan<T> data, MatrixSpan<T> latents, double ridge = 0)
    {
        Matrix<T> targets = Matrix<T>.CopyOf(data);
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            InvertActivation(targets.AsSpan());
            MatrixSpan<T> solved = i == 0 ? latents : new Matrix<T>(data.Rows, Layers[i].Geometry.InputLength).AsSpan();
            ConvUnpoolSolver.SolveLatents(Layers[i], targets.AsReadOnlySpan(), solved, ridge);
            if (i > 0)
            {
                targets = Matrix<T>.CopyOf(solved);
            }
        }
    }

    internal void ApplyActivation(MatrixSpan<T> values)
    {
        for (int r = 0; r < values.Rows; r++)
        {
            LeakyRelu.Apply(values.Row(r), NegativeSlope);
        }
    }

    internal void InvertActivation(MatrixSpan<T> values)
    {
        for (int r = 0; r < values.Rows; r++)
        {
            LeakyRelu.Invert(values.Row(r), NegativeSlope);
        }
    }
}
