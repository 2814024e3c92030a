using System.Globalization;
using StarNet.Data;
using StarNet.Model.Convolution;

namespace StarNet.Model;

/// <summary>
/// Reads the architecture strings of the command line (<c>--arch</c>) into a <see cref="DecoderArchitecture"/> for
/// data of a given shape. Forms, latent first:
/// <list type="bullet">
/// <item><c>ff:128,256</c>: dense layers with input widths 128 and 256 (the last one outputs the data).</item>
/// <item><c>conv:PRESET</c>: a named conv-unpool network (<see cref="ConvPreset.All"/>: mnist, fashion-mnist, cifar10, svhn, mnist-single, cifar10-single).</item>
/// <item><c>conv:6/k7/u2/same,2/k7/u2/full</c>: explicit conv-unpool layers (<see cref="ConvLayerSpec.Parse"/>), map sizes worked out backwards from the data.</item>
/// <item><c>ff:64+conv:2/k7/u2</c> or <c>ff:64+conv:mnist-single</c>: dense layers first, then conv-unpool layers; the last dense layer outputs the first conv layer's input map.</item>
/// </list>
/// </summary>
public sealed class ArchitectureSpec
{
    private ArchitectureSpec(string text, IReadOnlyList<int> dense, IReadOnlyList<ConvLayerSpec> convolutions)
    {
        Text = text;
        DenseWidths = dense;
        Convolutions = convolutions;
    }

    /// <summary>The string as given.</summary>
    public string Text { get; }

    /// <summary>Input widths of the dense layers, latent first (before any conv layer).</summary>
    public IReadOnlyList<int> DenseWidths { get; }

    /// <summary>The conv-unpool layers, latent first; empty for a feedforward decoder.</summary>
    public IReadOnlyList<ConvLayerSpec> Convolutions { get; }

    /// <summary>Parses an architecture string and resolves it for data of shape <paramref name="data"/>.</summary>
    /// <param name="spec">The string, e.g. <c>conv:mnist</c>.</param>
    /// <param name="data">The shape of one datapoint (the decoder's output).</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <returns>The architecture; its conditions are checked later, by training (<see cref="DecoderArchitecture.Check"/>).</returns>
    /// <exception cref="FormatException">The string is malformed; the message says which part.</exception>
    /// <exception cref="ArgumentException">The layers cannot produce the data shape.</exception>
    public static DecoderArchitecture Parse(string spec, ImageShape data, Activation activation) => Parse(spec).Resolve(data, activation);

    /// <summary>Checks the syntax of an architecture string without knowing the data (so a tool can fail before loading it).</summary>
    /// <param name="spec">The string.</param>
    /// <returns>The parsed layers; <see cref="Resolve"/> works out the map sizes once the data shape is known.</returns>
    /// <exception cref="FormatException">The string is malformed; the message says which part.</exception>
    public static ArchitectureSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var dense = new List<int>();
        var convs = new List<ConvLayerSpec>();
        foreach (string part in spec.Split('+', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("ff:", StringComparison.Ordinal))
            {
                if (convs.Count > 0)
                {
                    throw new FormatException($"Architecture '{spec}': dense layers must come before conv layers (a conv layer's output map cannot be read from a width).");
                }

                foreach (string width in part[3..].Split(',', StringSplitOptions.TrimEntries))
                {
                    dense.Add(int.TryParse(width, NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w >= 1
                        ? w
                        : throw new FormatException($"width '{width}' in '{spec}' is not a positive integer"));
                }
            }
            else if (part.StartsWith("conv:", StringComparison.Ordinal))
            {
                string body = part[5..];
                convs.AddRange(ConvPreset.All.TryGetValue(body, out ConvPreset? preset)
                    ? preset.Layers
                    : body.Split(',', StringSplitOptions.TrimEntries).Select(ConvLayerSpec.Parse));
            }
            else
            {
                throw new FormatException($"Architecture '{spec}': part '{part}' should start with ff: or conv: (e.g. ff:128,256 or conv:mnist).");
            }
        }

        if (dense.Count == 0 && convs.Count == 0)
        {
            throw new FormatException($"Architecture '{spec}' names no layer.");
        }

        return new ArchitectureSpec(spec, dense, convs);
    }

    /// <summary>The architecture for data of shape <paramref name="data"/>: the data width is added after the dense layers, or the conv layers' map sizes are worked out backwards from it.</summary>
    /// <param name="data">The shape of one datapoint.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="ArgumentException">The conv layers cannot produce that shape; the message names the layer and the sizes.</exception>
    public DecoderArchitecture Resolve(ImageShape data, Activation activation) =>
        Convolutions.Count == 0
            ? new DecoderArchitecture([.. DenseWidths, data.Size], activation)
            : DecoderArchitecture.Convolutional(ConvPreset.ResolveStack(Convolutions, data), activation, DenseWidths);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
