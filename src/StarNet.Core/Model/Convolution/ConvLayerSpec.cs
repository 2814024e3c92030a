using System.Globalization;
using StarNet.Data;

namespace StarNet.Model.Convolution;

/// <summary>
/// One conv-unpool layer as an architecture names it, before the map sizes are known: the channels of its input
/// (latent) map, the kernel size, the padding and the unpooling factor. The output channels and all map sizes
/// follow from the layer it feeds (ultimately the data), see <see cref="Resolve"/>.
/// </summary>
/// <param name="InputChannels">c_in, the channels of the layer's input map (the paper's "kernels" of the layer: every conv channel applies c_in k x k kernels).</param>
/// <param name="KernelSize">k.</param>
/// <param name="Padding">Full or same.</param>
/// <param name="Unpool">u.</param>
public readonly record struct ConvLayerSpec(int InputChannels, int KernelSize, ConvolutionPadding Padding, int Unpool)
{
    /// <summary>The geometry of this layer when it must produce <paramref name="output"/>.</summary>
    /// <param name="output">The map the layer produces (the next layer's input map, or the data).</param>
    /// <exception cref="ArgumentException">No input map of these channels produces that output; the message gives the numbers.</exception>
    public ConvUnpoolGeometry Resolve(ImageShape output) => ConvUnpoolGeometry.ForOutput(output, InputChannels, KernelSize, Padding, Unpool);

    /// <summary>The spec in the text form <see cref="Parse"/> reads, e.g. <c>6/k7/u2/same</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{InputChannels}/k{KernelSize}/u{Unpool}/{Padding.ToString().ToLowerInvariant()}");

    /// <summary>
    /// Reads one layer spec: <c>C/kK[/uU][/full|/same]</c>, e.g. <c>2/k7/u2</c> or <c>6/k7/u2/same</c>; u defaults
    /// to 2 and the padding to full (the paper's choices).
    /// </summary>
    /// <param name="text">The spec.</param>
    /// <exception cref="FormatException">The text is not a layer spec; the message says which part.</exception>
    public static ConvLayerSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split('/', StringSplitOptions.TrimEntries);
        int channels = ParsePositive(parts[0], text, "the input channel count");
        int? k = null;
        int u = 2;
        ConvolutionPadding padding = ConvolutionPadding.Full;
        foreach (string part in parts.Skip(1))
        {
            if (part.Length > 1 && part[0] == 'k')
            {
                k = ParsePositive(part[1..], text, "the kernel size");
            }
            else if (part.Length > 1 && part[0] == 'u')
            {
                u = ParsePositive(part[1..], text, "the unpooling factor");
            }
            else if (part is "full" or "same")
            {
                padding = part == "full" ? ConvolutionPadding.Full : ConvolutionPadding.Same;
            }
            else
            {
                throw new FormatException($"Conv layer spec '{text}': unknown part '{part}'; expected kK, uU, full or same (e.g. 2/k7/u2/full).");
            }
        }

        return k is int size
            ? new ConvLayerSpec(channels, size, padding, u)
            : throw new FormatException($"Conv layer spec '{text}' has no kernel size; write it as kK, e.g. 2/k7/u2.");
    }

    private static int ParsePositive(string value, string text, string what) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : throw new FormatException($"Conv layer spec '{text}': '{value}' is not a valid {what} (a positive integer).");
}
