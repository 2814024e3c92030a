using System.Collections.ObjectModel;
using System.Globalization;

namespace StarNet.Model;

/// <summary>
/// The shape of a feedforward StarNet decoder: widths <c>d_0</c> (the latent code) to <c>d_K</c> (the data), and
/// one activation for every layer. Layer <c>i</c> (1-based, layer 1 nearest the latent code, as in the paper) maps
/// <c>h_(i-1)</c> in R^(d_(i-1)) to <c>h_i = a(W_i [h_(i-1); 1])</c> in R^(d_i).
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

    /// <summary>Creates an architecture from its widths, latent first.</summary>
    /// <param name="widths">d_0 (latent), d_1, ..., d_K (data); at least two, each in [1, <see cref="MaxWidth"/>].</param>
    /// <param name="activation">The activation of every layer.</param>
    /// <exception cref="ArgumentException">Fewer than two widths, or a width out of range.</exception>
    public DecoderArchitecture(IEnumerable<int> widths, Activation activation)
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

        Widths = new ReadOnlyCollection<int>(_widths);
        Activation = activation;
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
    public ArchitectureCheck Check(int? datapoints = null, int? weightSubsetSize = null) => ArchitectureCheck.Run(this, datapoints, weightSubsetSize);

    /// <summary>The widths joined by commas, latent first (the inverse of <see cref="Parse"/>).</summary>
    public string WidthsText => string.Join(",", _widths.Select(w => w.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(" -> ", _widths.Select(w => w.ToString(CultureInfo.InvariantCulture)))}, {Activation}";

    /// <inheritdoc/>
    public bool Equals(DecoderArchitecture? other) =>
        other is not null && Activation == other.Activation && _widths.AsSpan().SequenceEqual(other._widths);

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

    private int CheckLayer(int layer)
    {
        if (layer < 1 || layer > LayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layers are numbered 1 (nearest the latent code) to {LayerCount}.");
        }

        return layer;
    }
}
