using System.Collections.ObjectModel;
using StarNet.Data;

namespace StarNet.Model.Convolution;

/// <summary>
/// A named convolutional StarNet: its conv-unpool layers, latent first, and the data shape it is built for.
/// The paper's configurations (section 4.2) and their single-layer variants (section 6, Figure 5) are shipped;
/// see docs/convolution.md for how the paper's "6 and 2 kernels" / "10 and 4 kernels" are read.
/// </summary>
public sealed class ConvPreset
{
    private ConvPreset(string name, string description, ImageShape data, params ConvLayerSpec[] layers)
    {
        Name = name;
        Description = description;
        Data = data;
        Layers = new ReadOnlyCollection<ConvLayerSpec>(layers);
    }

    /// <summary>The name used in <c>--arch conv:NAME</c>.</summary>
    public string Name { get; }

    /// <summary>One line on where the configuration comes from.</summary>
    public string Description { get; }

    /// <summary>The data (output) shape the preset is built for.</summary>
    public ImageShape Data { get; }

    /// <summary>The layers, latent first (layer 1 nearest the latent code, as in the paper).</summary>
    public IReadOnlyList<ConvLayerSpec> Layers { get; }

    /// <summary>The paper's MNIST / Fashion-MNIST network: 6 then 2 input channels, 7x7 kernels, u = 2; latent 6x4x4.</summary>
    public static ConvPreset Mnist { get; } = new(
        "mnist",
        "paper section 4.2, MNIST and Fashion-MNIST: two 7x7 conv-unpool layers, u = 2, 6 and 2 kernels per conv channel",
        new ImageShape(1, 28, 28),
        new ConvLayerSpec(6, 7, ConvolutionPadding.Same, 2),
        new ConvLayerSpec(2, 7, ConvolutionPadding.Full, 2));

    /// <summary>The paper's CIFAR-10 / SVHN network: 10 then 4 input channels, 7x7 kernels, u = 2; latent 10x5x5.</summary>
    public static ConvPreset Cifar10 { get; } = new(
        "cifar10",
        "paper section 4.2, CIFAR-10 and SVHN: two 7x7 conv-unpool layers, u = 2, 10 and 4 kernels per conv channel",
        new ImageShape(3, 32, 32),
        new ConvLayerSpec(10, 7, ConvolutionPadding.Same, 2),
        new ConvLayerSpec(4, 7, ConvolutionPadding.Full, 2));

    /// <summary>The second layer of <see cref="Mnist"/> alone (paper section 6, Figure 5): latent 2x8x8.</summary>
    public static ConvPreset MnistSingle { get; } = new(
        "mnist-single",
        "paper section 6, Figure 5: the MNIST network's second (full 7x7, u = 2) layer alone",
        new ImageShape(1, 28, 28),
        new ConvLayerSpec(2, 7, ConvolutionPadding.Full, 2));

    /// <summary>The second layer of <see cref="Cifar10"/> alone (paper section 6, Figure 5): latent 4x10x10.</summary>
    public static ConvPreset Cifar10Single { get; } = new(
        "cifar10-single",
        "paper section 6, Figure 5: the CIFAR-10 network's second (full 7x7, u = 2) layer alone",
        new ImageShape(3, 32, 32),
        new ConvLayerSpec(4, 7, ConvolutionPadding.Full, 2));

    /// <summary>Every preset, including the aliases <c>fashion-mnist</c> (= mnist) and <c>svhn</c> (= cifar10).</summary>
    public static IReadOnlyDictionary<string, ConvPreset> All { get; } = new ReadOnlyDictionary<string, ConvPreset>(
        new Dictionary<string, ConvPreset>(StringComparer.OrdinalIgnoreCase)
        {
            ["mnist"] = Mnist,
            ["fashion-mnist"] = Mnist,
            ["cifar10"] = Cifar10,
            ["svhn"] = Cifar10,
            ["mnist-single"] = MnistSingle,
            ["cifar10-single"] = Cifar10Single,
        });

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">A key of <see cref="All"/>.</param>
    /// <exception cref="ArgumentException">No such preset; the message lists the known ones.</exception>
    public static ConvPreset Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.TryGetValue(name, out ConvPreset? preset)
            ? preset
            : throw new ArgumentException($"Unknown conv preset '{name}'; known presets: {string.Join(", ", All.Keys)}.", nameof(name));
    }

    /// <summary>The geometries of the layers, latent first, for data of shape <paramref name="data"/> (default: the preset's).</summary>
    /// <param name="data">The data shape, or null for <see cref="Data"/>.</param>
    /// <exception cref="ArgumentException">The layers cannot produce that shape.</exception>
    public IReadOnlyList<ConvUnpoolGeometry> Resolve(ImageShape? data = null) => ResolveStack(Layers, data ?? Data);

    /// <summary>Resolves a stack of conv-unpool layers, latent first, backwards from the data shape.</summary>
    /// <param name="layers">The layers, latent first.</param>
    /// <param name="data">The shape the last layer produces.</param>
    /// <exception cref="ArgumentException">A layer cannot produce the map the next one needs.</exception>
    public static IReadOnlyList<ConvUnpoolGeometry> ResolveStack(IReadOnlyList<ConvLayerSpec> layers, ImageShape data)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var geometries = new ConvUnpoolGeometry[layers.Count];
        ImageShape output = data;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            try
            {
                geometries[i] = layers[i].Resolve(output);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Layer {i + 1} of {layers.Count} ({layers[i]}): {ex.Message}", nameof(layers), ex);
            }

            output = geometries[i].Input;
        }

        return geometries;
    }
}
