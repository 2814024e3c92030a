using System.Collections.ObjectModel;
using System.Globalization;
using StarNet.Data;
using StarNet.Model.Convolution;

namespace StarNet.Model;

/// <summary>
/// The shape of a StarNet decoder: widths <c>d_0</c> (the latent code) to <c>d_K</c> (the data), and
/// one activation for every layer. Layer <c>i</c> (1-based, layer 1 nearest the latent code, as in the paper) maps
/// <c>h_(i-1)</c> in R^(d_(i-1)) to <c>h_i = a(W_i [h_(i-1); 1])</c> in R^(d_i). A layer is dense (W_i free) or a
/// conv-unpool layer (<see cref="Convolution"/>: W_i is the dense operator of shared kernels, d_(i-1) and d_i the sizes
/// of its input and output maps, paper section 3.2); the two kinds mix freely as long as the widths chain.
/// </summary>
/// <remarks>
/// Any positive widths can be described (so a file can be loaded and its problems reported); the paper's
/// conditions are checked by <see cref="Check"/>, which training and the encoder call before any work starts.
/// </remarks>
public sealed class DecoderArchitecture : IEquatable<DecoderArchitecture>
{
    /// <summary>The largest width accepted, so that sizes computed from widths cannot overflow.</summary>
    public const int MaxWidth = 1 << 24;

    private readonly int[] _widths;
    private readonly ConvUnpoolGeometry?[] _convolutions;

    /// <summary>Creates an architecture from its widths, latent first.</summary>
    /// <param name="widths">d_0 (latent), d_1, ..., d_K (data); at least two, each in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="ArgumentException">Fewer than two widths, or a width out of range.</exception>
    public DecoderArchitecture(IEnumerable<int> widths, Activation activation)
        : this(widths, null, activation)
    {
    }

    /// <summary>Creates an architecture whose layers may be conv-unpool layers.</summary>
    /// <param name="widths">d_0 (latent), d_1, ..., d_K (data).</param>
    /// <param name="convolutions">Per layer (latent first), its conv-unpool geometry or null for a dense layer; null for all dense.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="ArgumentException">Widths out of range, or a conv layer whose map sizes are not the widths around it.</exception>
    public DecoderArchitecture(IEnumerable<int> widths, IEnumerable<ConvUnpoolGeometry?>? convolutions, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(widths);
        _widths = [.. widths];
        if (_widths.Length < 2)
        {
            throw new ArgumentException($"A decoder needs a latent width and at least one layer width; got {_widths.Length} width(s).", nameof(widths));
        }

        for (int i = 0; i < _widths.Length; i++)
        {
            if (_widths[i] < 1 || _widths[i] > MaxWidth)
            {
                throw new ArgumentException($"Width d_{i} = {_widths[i]} is out of range [1, {MaxWidth}].", nameof(widths));
            }
        }

        _convolutions = convolutions is null ? new ConvUnpoolGeometry?[_widths.Length - 1] : [.. convolutions];
        if (_convolutions.Length != _widths.Length - 1)
        {
            throw new ArgumentException($"{_convolutions.Length} layer kinds were given for {_widths.Length - 1} layers.", nameof(convolutions));
        }

        for (int i = 0; i < _convolutions.Length; i++)
        {
            if (_convolutions[i] is ConvUnpoolGeometry g && (g.InputLength != _widths[i] || g.OutputLength != _widths[i + 1]))
            {
                throw new ArgumentException(
                    $"Layer {i + 1} ({g}) maps {g.InputLength} to {g.OutputLength} values, but the widths around it are d_{i} = {_widths[i]} and d_{i + 1} = {_widths[i + 1]}.", nameof(convolutions));
            }
        }

        Widths = new ReadOnlyCollection<int>(_widths);
        Activation = activation;
    }

    /// <summary>
    /// A decoder of conv-unpool layers, optionally after dense layers: <paramref name="denseWidths"/> are the input widths
    /// of the dense layers (latent first), the last of which feeds the first conv layer's input map.
    /// </summary>
    /// <param name="convolutions">The conv-unpool layers, latent first; each one's output map must be the next one's input map.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <param name="denseWidths">Input widths of dense layers before the conv layers, or empty.</param>
    /// <exception cref="ArgumentException">No conv layer, or the maps do not chain.</exception>
    public static DecoderArchitecture Convolutional(IReadOnlyList<ConvUnpoolGeometry> convolutions, Activation activation, params IReadOnlyList<int> denseWidths)
    {
        ArgumentNullException.ThrowIfNull(convolutions);
        ArgumentNullException.ThrowIfNull(denseWidths);
        if (convolutions.Count == 0)
        {
            throw new ArgumentException("At least one conv-unpool layer is needed.", nameof(convolutions));
        }

        for (int i = 1; i < convolutions.Count; i++)
        {
            if (convolutions[i - 1].Output != convolutions[i].Input)
            {
                throw new ArgumentException($"Conv layer {i} produces {convolutions[i - 1].Output} but conv layer {i + 1} takes {convolutions[i].Input}.", nameof(convolutions));
            }
        }

        int[] widths = [.. denseWidths, .. convolutions.Select(g => g.InputLength), convolutions[^1].OutputLength];
        ConvUnpoolGeometry?[] kinds = [.. denseWidths.Select(_ => (ConvUnpoolGeometry?)null), .. convolutions];
        return new DecoderArchitecture(widths, kinds, activation);
    }

    /// <summary>Whether any layer is a conv-unpool layer.</summary>
    public bool HasConvolutions => _convolutions.Any(g => g is not null);

    /// <summary>The conv-unpool geometry of layer <paramref name="layer"/> (1-based), or null for a dense layer.</summary>
    /// <param name="layer">Layer number, 1 to <see cref="LayerCount"/>.</param>
    public ConvUnpoolGeometry? Convolution(int layer) => _convolutions[CheckLayer(layer) - 1];

    /// <summary>
    /// The conv layers as text, <c>i:SPEC@CxHxW</c> joined by <c>;</c> (SPEC as <see cref="ConvLayerSpec.ToString"/>, CxHxW its
    /// output map), e.g. <c>2:2/k7/u2/full@1x28x28</c>; empty when all layers are dense. Read back by <see cref="Parse(string, string, Activation)"/>.
    /// </summary>
    public string ConvolutionText => string.Join(";", _convolutions
        .Select((g, i) => g is null ? null : string.Create(CultureInfo.InvariantCulture, $"{i + 1}:{Spec(g)}@{g.Output.Channels}x{g.Output.Height}x{g.Output.Width}"))
        .Where(t => t is not null));

    /// <summary>Parses widths and the <see cref="ConvolutionText"/> of the conv layers.</summary>
    /// <param name="widths">Comma-separated widths, latent first.</param>
    /// <param name="convolutions">The conv layers as <see cref="ConvolutionText"/> writes them; empty for none.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="FormatException">The text is malformed.</exception>
    /// <exception cref="ArgumentException">The layers do not fit the widths.</exception>
    public static DecoderArchitecture Parse(string widths, string convolutions, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(convolutions);
        DecoderArchitecture dense = Parse(widths, activation);
        var kinds = new ConvUnpoolGeometry?[dense.LayerCount];
        foreach (string entry in convolutions.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            int at = entry.IndexOf('@', StringComparison.Ordinal);
            string[] shape = at < 0 ? [] : entry[(at + 1)..].Split('x');
            if (colon < 1 || at < colon || shape.Length != 3
                || !int.TryParse(entry[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out int layer) || layer < 1 || layer > kinds.Length
                || !shape.All(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new FormatException($"Conv layer entry '{entry}' is not of the form i:SPEC@CxHxW with 1 <= i <= {kinds.Length}.");
            }

            var output = new ImageShape(int.Parse(shape[0], CultureInfo.InvariantCulture), int.Parse(shape[1], CultureInfo.InvariantCulture), int.Parse(shape[2], CultureInfo.InvariantCulture));
            kinds[layer - 1] = ConvLayerSpec.Parse(entry[(colon + 1)..at]).Resolve(output);
        }

        return new DecoderArchitecture(dense._widths, kinds, activation);
    }

    /// <summary>The widths d_0 (latent) to d_K (data).</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The activation of every layer.</summary>
    public Activation Activation { get; }

    /// <summary>d_0, the width of the latent code.</summary>
    public int LatentDimension => _widths[0];

    /// <summary>d_K, the width of a datapoint.</summary>
    public int OutputDimension => _widths[^1];

    /// <summary>K, the number of layers.</summary>
    public int LayerCount => _widths.Length - 1;

    /// <summary>The largest width, d_max.</summary>
    public int MaxLayerWidth => _widths.Max();

    /// <summary>d_(i-1), the input width of layer <paramref name="layer"/> (1-based).</summary>
    /// <param name="layer">Layer number, 1 to <see cref="LayerCount"/>.</param>
    public int InputWidth(int layer) => _widths[CheckLayer(layer) - 1];

    /// <summary>d_i, the output width of layer <paramref name="layer"/> (1-based).</summary>
    /// <param name="layer">Layer number, 1 to <see cref="LayerCount"/>.</param>
    public int OutputWidth(int layer) => _widths[CheckLayer(layer)];

    /// <summary>Parses comma-separated widths, latent first, e.g. <c>"128,256,784"</c>.</summary>
    /// <param name="widths">The widths.</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="FormatException">A width is not an integer.</exception>
    public static DecoderArchitecture Parse(string widths, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(widths);
        string[] parts = widths.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"Width '{parts[i]}' in '{widths}' is not a non-negative integer.");
            }
        }

        return new DecoderArchitecture(values, activation);
    }

    /// <summary>
    /// Checks the paper's conditions for this decoder and (when given) a training set of
    /// <paramref name="datapoints"/> rows, of which <paramref name="weightSubsetSize"/> enter each weight solve.
    /// </summary>
    /// <param name="datapoints">Number of training datapoints, or null to check only what does not depend on data (Theorem 1, Lemma 5).</param>
    /// <param name="weightSubsetSize">Rows per weight solve when the weights are solved on a random subset (paper section 6), or null for all rows.</param>
    /// <returns>The errors and warnings found; call <see cref="ArchitectureCheck.ThrowIfInvalid"/> to fail on errors.</returns>
    /// <param name="convolutionSubsetSize">Images per conv-unpool weight solve (Theorem 4), or null for all datapoints.</param>
    public ArchitectureCheck Check(int? datapoints = null, int? weightSubsetSize = null, int? convolutionSubsetSize = null) =>
        ArchitectureCheck.Run(this, datapoints, weightSubsetSize, convolutionSubsetSize);

    /// <summary>The widths joined by commas, latent first (the inverse of <see cref="Parse(string, Activation)"/>).</summary>
    public string WidthsText => string.Join(",", _widths.Select(w => w.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public override string ToString() => HasConvolutions
        ? $"{string.Join(" -> ", _widths.Select((w, i) => i > 0 && _convolutions[i - 1] is ConvUnpoolGeometry g ? $"[{Spec(g)}] {g.Output}" : w.ToString(CultureInfo.InvariantCulture)))}, {Activation}"
        : $"{string.Join(" -> ", _widths.Select(w => w.ToString(CultureInfo.InvariantCulture)))}, {Activation}";

    /// <inheritdoc/>
    public bool Equals(DecoderArchitecture? other) =>
        other is not null && Activation == other.Activation && _widths.AsSpan().SequenceEqual(other._widths) && _convolutions.SequenceEqual(other._convolutions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DecoderArchitecture);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Activation);
        foreach (int w in _widths)
        {
            hash.Add(w);
        }

        return hash.ToHashCode();
    }

    private static string Spec(ConvUnpoolGeometry g) => new ConvLayerSpec(g.InputChannels, g.KernelSize, g.Padding, g.Unpool).ToString();

    private int CheckLayer(int layer)
    {
        if (layer < 1 || layer > LayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layers are numbered 1 (nearest the latent code) to {LayerCount}.");
        }

        return layer;
    }
}
