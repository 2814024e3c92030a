using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Data;
using StarNet.Model.Convolution;

namespace StarNet.Core.Tests.Convolution;

public sealed class ConvUnpoolGeometryTests
{
    [Fact]
    public void Mnist_preset_has_the_documented_shapes()
    {
        IReadOnlyList<ConvUnpoolGeometry> layers = ConvPreset.Get("mnist").Resolve();
        Assert.Equal(2, layers.Count);
        Assert.Equal(new ImageShape(6, 4, 4), layers[0].Input);
        Assert.Equal((8, 4, 4), (layers[0].ConvChannels, layers[0].ConvHeight, layers[0].ConvWidth));
        Assert.Equal(new ImageShape(2, 8, 8), layers[0].Output);
        Assert.Equal(new long[] { 8, 6, 7, 7 }, layers[0].KernelShape);
        Assert.Equal(new ImageShape(2, 8, 8), layers[1].Input);
        Assert.Equal((4, 14, 14), (layers[1].ConvChannels, layers[1].ConvHeight, layers[1].ConvWidth));
        Assert.Equal(new ImageShape(1, 28, 28), layers[1].Output);
        Assert.Equal(new long[] { 4, 2, 7, 7 }, layers[1].KernelShape);
    }

    [Fact]
    public void Cifar10_preset_has_the_documented_shapes()
    {
        IReadOnlyList<ConvUnpoolGeometry> layers = ConvPreset.Get("svhn").Resolve();
        Assert.Equal(new ImageShape(10, 5, 5), layers[0].Input);
        Assert.Equal(new long[] { 16, 10, 7, 7 }, layers[0].KernelShape);
        Assert.Equal(new ImageShape(4, 10, 10), layers[0].Output);
        Assert.Equal(new long[] { 12, 4, 7, 7 }, layers[1].KernelShape);
        Assert.Equal((16, 16), (layers[1].ConvHeight, layers[1].ConvWidth));
        Assert.Equal(new ImageShape(3, 32, 32), layers[1].Output);
    }

    [Theory]
    [InlineData("mnist", 500)]
    [InlineData("cifar10", 500)]
    [InlineData("mnist-single", 100)]
    [InlineData("cifar10-single", 100)]
    public void Presets_satisfy_both_theorems(string name, int images)
    {
        IReadOnlyList<ConvUnpoolGeometry> layers = ConvPreset.Get(name).Resolve();
        for (int i = 0; i < layers.Count; i++)
        {
            var errors = new List<string>();
            var warnings = new List<string>();
            layers[i].Check($"Layer {i + 1}", images, errors, warnings);
            Assert.Empty(errors);
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void Theorem_3_rejection_names_the_layer_and_the_numbers()
    {
        // 13 channels of 8x8 = 832 latents feed a 1x28x28 = 784-value output.
        var g = new ConvUnpoolGeometry(new ImageShape(13, 8, 8), 7, ConvolutionPadding.Full, 1, 2);
        var ex = Assert.Throws<ArgumentException>(() => g.ThrowIfUndetermined("Layer 2"));
        Assert.Contains("Layer 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Theorem 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("784 equations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("832 unknowns", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 12 input channels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Theorem_4_rejection_names_the_layer_and_the_numbers()
    {
        var g = ConvPreset.Mnist.Resolve()[0];
        var ex = Assert.Throws<ArgumentException>(() => g.ThrowIfUndetermined("Layer 1", weightImages: 18));
        Assert.Contains("Theorem 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("288 equations (18 images x 16 positions)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("295 unknowns", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least 19 images", ex.Message, StringComparison.Ordinal);
        g.ThrowIfUndetermined("Layer 1", weightImages: 19);
    }

    [Fact]
    public void Per_pixel_condition_saved_by_the_borders_is_a_warning()
    {
        // c_in = 5 > c_out u^2 = 4, yet 5x2x2 = 20 latents <= 1x(2*5)x(2*5) = 100 equations thanks to the full border.
        var g = new ConvUnpoolGeometry(new ImageShape(5, 2, 2), 4, ConvolutionPadding.Full, 1, 2);
        var errors = new List<string>();
        var warnings = new List<string>();
        g.Check("Layer 1", null, errors, warnings);
        Assert.Empty(errors);
        Assert.Contains(warnings, w => w.Contains("per-pixel", StringComparison.Ordinal));
    }

    [Property(MaxTest = 200)]
    public Property Theorem_3_rejects_exactly_when_unknowns_exceed_equations() =>
        Prop.ForAll(ConvReference.Geometries, g =>
        {
            var errors = new List<string>();
            g.Check("Layer 1", null, errors, new List<string>());
            Assert.Equal(g.InputLength > g.OutputLength, errors.Any(e => e.Contains("Theorem 3", StringComparison.Ordinal)));
        });

    [Property(MaxTest = 200)]
    public Property Theorem_4_rejects_exactly_when_unknowns_exceed_equations() =>
        Prop.ForAll(ConvReference.Geometries, Gen.Choose(0, 5).ToArbitrary(), (g, images) =>
        {
            var errors = new List<string>();
            g.Check("Layer 1", images, errors, new List<string>());
            Assert.Equal(images * g.Positions < g.KernelUnknowns, errors.Any(e => e.Contains("Theorem 4", StringComparison.Ordinal)));
        });

    [Fact]
    public void Full_7x7_cannot_follow_a_4x4_map_and_says_why()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            ConvPreset.ResolveStack([new ConvLayerSpec(6, 7, ConvolutionPadding.Full, 2), new ConvLayerSpec(2, 7, ConvolutionPadding.Full, 2)], new ImageShape(1, 28, 28)));
        Assert.Contains("Layer 1 of 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4x4", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2/k7/u2", 2, 7, ConvolutionPadding.Full, 2)]
    [InlineData("6/k7/u2/same", 6, 7, ConvolutionPadding.Same, 2)]
    [InlineData("3/k5", 3, 5, ConvolutionPadding.Full, 2)]
    [InlineData(" 4 / k3 / u1 / full ", 4, 3, ConvolutionPadding.Full, 1)]
    public void Layer_specs_parse_and_print(string text, int c, int k, ConvolutionPadding padding, int u)
    {
        ConvLayerSpec spec = ConvLayerSpec.Parse(text);
        Assert.Equal(new ConvLayerSpec(c, k, padding, u), spec);
        Assert.Equal(spec, ConvLayerSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0/k7")]
    [InlineData("2/k7/v2")]
    [InlineData("x/k7")]
    public void Bad_layer_specs_are_rejected(string text) => Assert.Throws<FormatException>(() => ConvLayerSpec.Parse(text));
}
