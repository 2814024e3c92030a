using StarNet.Core.Tests.Support;
using StarNet.Data;
using StarNet.IO;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Model.Convolution;
using StarNet.Training;

namespace StarNet.Core.Tests.Convolution;

/// <summary>Conv-unpool layers on the shared trainer, encoder, model files and architecture strings.</summary>
public sealed class ConvModelTests : IDisposable
{
    private static readonly Activation Leaky = Activation.LeakyRelu(0.5);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static ConvUnpoolLayer<double> RandomConv(ConvUnpoolGeometry g, Random random) =>
        new(g, new ReadOnlyMatrixSpan<double>(ConvReference.Random(random, g.ConvChannels * g.KernelTaps), g.ConvChannels, g.KernelTaps), ConvReference.Random(random, g.ConvChannels));

    /// <summary>Data decoded by an exact single conv-unpool layer from random codes.</summary>
    private static (Matrix<double> Data, DecoderArchitecture Arch) ExactConvData(int n, int seed)
    {
        var random = new Random(seed);
        ConvUnpoolGeometry g = ConvLayerSpec.Parse("2/k3/u2/full").Resolve(new ImageShape(1, 12, 12));
        var arch = DecoderArchitecture.Convolutional([g], Leaky);
        ConvUnpoolLayer<double> truth = RandomConv(g, random);
        var model = new StarNetModel<double>(arch, [truth.ToDenseLayer()], convolutionLayers: [truth]);
        var codes = Matrix<double>.FromRowMajor(ConvReference.Random(random, n * g.InputLength), n, g.InputLength);
        var data = new Matrix<double>(n, g.OutputLength);
        model.Decode(codes.AsReadOnlySpan(), data.AsSpan());
        return (data, arch);
    }

    [Fact]
    public void Trainer_recovers_data_generated_by_an_exact_conv_decoder()
    {
        (Matrix<double> data, DecoderArchitecture arch) = ExactConvData(200, 3);
        var options = new TrainingOptions { EpochsPerLayer = 40, PlateauTolerance = 0, ConvolutionWeightSubsetSize = 50 };
        TrainingResult<double> result = StarNetTrainer.Train(data.AsReadOnlySpan(), arch, options);

        double meanSquare = Synthetic.MeanSquare(data.AsReadOnlySpan());
        Assert.True(result.History.Steps[^1].LayerMse < 1e-8 * meanSquare, $"MSE {result.History.Steps[^1].LayerMse} vs mean square {meanSquare}");
        Assert.All(result.History.Steps.Where(s => s.Step == TrainingStep.Weights), s => Assert.Equal(50, s.SolveDatapoints));
        var latents = new Matrix<double>(data.Rows, arch.LatentDimension);
        result.Model.Encoder.Encode(data.AsReadOnlySpan(), latents.AsSpan());
        Assert.True(Synthetic.MaxAbsDifference(latents.AsReadOnlySpan(), result.Latents.AsReadOnlySpan()) < 1e-6, "encoding the training data gives its training latents");
        ConvUnpoolLayer<double> conv = Assert.IsType<ConvUnpoolLayer<double>>(result.Model.ConvolutionLayers[0]);
        Assert.Equal(conv.ToDenseLayer().Weight.ToArray(), result.Model.Layers[0].Weight.ToArray());
    }

    [Fact]
    public void Mixed_dense_and_conv_network_trains_encodes_samples_saves_and_loads()
    {
        (Matrix<double> data, _) = ExactConvData(150, 5);
        DecoderArchitecture arch = ArchitectureSpec.Parse("ff:16+conv:2/k3/u2", new ImageShape(1, 12, 12), Leaky);
        Assert.Equal([16, 32, 144], arch.Widths);
        Assert.Null(arch.Convolution(1));
        Assert.NotNull(arch.Convolution(2));
        var options = new TrainingOptions { EpochsPerLayer = 3, WeightSubsetCount = 2, ConvolutionWeightSubsetSize = 40 };
        TrainingResult<double> result = StarNetTrainer.Train(data.AsReadOnlySpan(), arch, options);
        Assert.Equal(2, result.History.Layers.Count);
        Assert.True(double.IsFinite(result.History.Steps[^1].NetworkMse));

        string path = folder.File("mixed.safetensors");
        ModelFile.Save(result.Model, path);
        using (SafeTensorsReader reader = SafeTensorsReader.Open(path))
        {
            Assert.Equal(ModelFile.ConvolutionalFormatName, reader.Metadata["format"]);
            Assert.Equal([4L, 2, 3, 3], reader.GetInfo("layers.2.kernel").Shape);
            Assert.Equal([4L], reader.GetInfo("layers.2.bias").Shape);
            Assert.Equal([32L, 16], reader.GetInfo("layers.1.weight").Shape);
            Assert.False(reader.Contains("layers.2.weight"));
        }

        StarNetModel<double> loaded = ModelFile.Load<double>(path);
        Assert.Equal(arch, loaded.Architecture);
        Matrix<double> a = result.Model.Generate(5, 7);
        Matrix<double> b = loaded.Generate(5, 7);
        Assert.True(Synthetic.BitIdentical(a.AsReadOnlySpan(), b.AsReadOnlySpan()), "samples of the loaded model equal the original's");
        var ra = new Matrix<double>(data.Rows, data.Cols);
        var rb = new Matrix<double>(data.Rows, data.Cols);
        result.Model.Reconstruct(data.AsReadOnlySpan(), ra.AsSpan());
        loaded.Reconstruct(data.AsReadOnlySpan(), rb.AsSpan());
        Assert.True(Synthetic.BitIdentical(ra.AsReadOnlySpan(), rb.AsReadOnlySpan()));
    }

    [Fact]
    public void Conv_architectures_parse_from_presets_and_layer_specs()
    {
        DecoderArchitecture mnist = ArchitectureSpec.Parse("conv:mnist", new ImageShape(1, 28, 28), Leaky);
        Assert.Equal([96, 128, 784], mnist.Widths);
        Assert.Equal(ConvPreset.Mnist.Resolve(), [mnist.Convolution(1)!, mnist.Convolution(2)!]);
        Assert.Equal(mnist, ArchitectureSpec.Parse("conv:6/k7/u2/same,2/k7/u2/full", new ImageShape(1, 28, 28), Leaky));
        Assert.Equal(mnist, DecoderArchitecture.Parse(mnist.WidthsText, mnist.ConvolutionText, Leaky));
        Assert.Equal("1:6/k7/u2/same@2x8x8;2:2/k7/u2/full@1x28x28", mnist.ConvolutionText);
        DecoderArchitecture cifar = ArchitectureSpec.Parse("conv:svhn", new ImageShape(3, 32, 32), Leaky);
        Assert.Equal([250, 400, 3072], cifar.Widths);
        Assert.Equal([128, 256, 784], ArchitectureSpec.Parse("ff:128,256", new ImageShape(1, 28, 28), Leaky).Widths);
        Assert.Throws<FormatException>(() => ArchitectureSpec.Parse("conv:2/k7+ff:10", new ImageShape(1, 28, 28), Leaky));
        Assert.Throws<FormatException>(() => ArchitectureSpec.Parse("cnn:mnist", new ImageShape(1, 28, 28), Leaky));
        Assert.Throws<ArgumentException>(() => ArchitectureSpec.Parse("conv:6/k7/u2,2/k7/u2", new ImageShape(1, 28, 28), Leaky));
    }

    [Fact]
    public void Training_refuses_what_theorems_3_and_4_reject_before_any_work()
    {
        var data = new Matrix<double>(10, 784);
        DecoderArchitecture mnist = ArchitectureSpec.Parse("conv:mnist", new ImageShape(1, 28, 28), Leaky);
        var ex = Assert.Throws<ArgumentException>(() => StarNetTrainer.Train(data.AsReadOnlySpan(), mnist));
        Assert.Contains("Layer 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Theorem 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("160 equations (10 images x 16 positions)", ex.Message, StringComparison.Ordinal);

        DecoderArchitecture wide = ArchitectureSpec.Parse("conv:13/k7/u2", new ImageShape(1, 28, 28), Leaky);
        ArchitectureCheck check = wide.Check(1000);
        Assert.Contains(check.Errors, e => e.Contains("Theorem 3", StringComparison.Ordinal) && e.Contains("832 unknowns", StringComparison.Ordinal));
    }
}
