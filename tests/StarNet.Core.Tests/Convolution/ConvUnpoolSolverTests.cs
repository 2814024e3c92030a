using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model.Convolution;

namespace StarNet.Core.Tests.Convolution;

public sealed class ConvUnpoolSolverTests
{
    private static ConvUnpoolLayer<double> RandomLayer(ConvUnpoolGeometry g, Random random) =>
        new(g, new ReadOnlyMatrixSpan<double>(ConvReference.Random(random, g.ConvChannels * g.KernelTaps), g.ConvChannels, g.KernelTaps), ConvReference.Random(random, g.ConvChannels));

    private static Matrix<double> Forward(ConvUnpoolLayer<double> layer, Matrix<double> inputs)
    {
        var outputs = new Matrix<double>(inputs.Rows, layer.Geometry.OutputLength);
        layer.Forward(inputs.AsReadOnlySpan(), outputs.AsSpan());
        return outputs;
    }

    private static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    [Theory]
    [InlineData("mnist")]
    [InlineData("cifar10")]
    public void Latents_of_an_exact_decoder_are_recovered(string preset)
    {
        var random = new Random(7);
        foreach (ConvUnpoolGeometry g in ConvPreset.Get(preset).Resolve())
        {
            ConvUnpoolLayer<double> layer = RandomLayer(g, random);
            var latents = Matrix<double>.FromRowMajor(ConvReference.Random(random, 5 * g.InputLength), 5, g.InputLength);
            Matrix<double> targets = Forward(layer, latents);
            var solved = new Matrix<double>(5, g.InputLength);
            ConvUnpoolSolver.SolveLatents(layer, targets.AsReadOnlySpan(), solved.AsSpan());
            Assert.True(MaxAbsDifference(latents.Span, solved.Span) < 1e-7, $"{g}: latents not recovered");
        }
    }

    [Property(MaxTest = 40)]
    public Property Latent_solve_fits_consistent_targets_on_determined_layers() =>
        Prop.ForAll(ConvReference.Geometries, ArbMap.Default.ArbFor<int>(), (g, seed) =>
        {
            if (g.OutputLength <= g.InputLength)
            {
                return;
            }

            var random = new Random(seed);
            ConvUnpoolLayer<double> layer = RandomLayer(g, random);
            var latents = Matrix<double>.FromRowMajor(ConvReference.Random(random, 2 * g.InputLength), 2, g.InputLength);
            Matrix<double> targets = Forward(layer, latents);
            var solved = new Matrix<double>(2, g.InputLength);
            ConvUnpoolSolver.SolveLatents(layer, targets.AsReadOnlySpan(), solved.AsSpan(), ridge: 1e-12);
            Matrix<double> refit = Forward(layer, solved);
            double scale = 1 + targets.Span.ToArray().Max(Math.Abs);
            Assert.True(MaxAbsDifference(targets.Span, refit.Span) < 1e-6 * scale, $"{g}: residual of a consistent system");
        });

    [Theory]
    [InlineData("mnist", 1, LeastSquaresMethod.HouseholderQR)]
    [InlineData("mnist", 3, LeastSquaresMethod.HouseholderQR)]
    [InlineData("mnist", 2, LeastSquaresMethod.NormalEquations)]
    [InlineData("cifar10", 1, LeastSquaresMethod.HouseholderQR)]
    public void Kernels_of_an_exact_decoder_are_recovered(string preset, int subsets, LeastSquaresMethod method)
    {
        var random = new Random(11);
        foreach (ConvUnpoolGeometry g in ConvPreset.Get(preset).Resolve())
        {
            int images = 3 * ((g.KernelUnknowns / g.Positions) + 2);
            ConvUnpoolLayer<double> truth = RandomLayer(g, random);
            var inputs = Matrix<double>.FromRowMajor(ConvReference.Random(random, images * g.InputLength), images, g.InputLength);
            Matrix<double> targets = Forward(truth, inputs);
            IReadOnlyList<IReadOnlyList<int>> draw = ConvTrainer.DrawSubsets(images, images / subsets, subsets, random);
            ConvUnpoolLayer<double> solved = ConvUnpoolSolver.SolveKernels(g, inputs.AsReadOnlySpan(), targets.AsReadOnlySpan(), draw, method: method);
            Assert.True(MaxAbsDifference(truth.Kernels.ToArray(), solved.Kernels.ToArray()) < 1e-7, $"{g}: kernels not recovered");
            Assert.True(MaxAbsDifference(truth.Bias, solved.Bias) < 1e-7, $"{g}: bias not recovered");
        }
    }

    [Fact]
    public void Weight_solve_refuses_too_few_images_with_the_numbers()
    {
        ConvUnpoolGeometry g = ConvPreset.Mnist.Resolve()[0];
        var inputs = new Matrix<double>(10, g.InputLength);
        var targets = new Matrix<double>(10, g.OutputLength);
        var ex = Assert.Throws<ArgumentException>(() =>
            ConvUnpoolSolver.SolveKernels(g, inputs.AsReadOnlySpan(), targets.AsReadOnlySpan(), [Enumerable.Range(0, 10).ToArray()]));
        Assert.Contains("Theorem 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("160 equations", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subsets_are_disjoint_slices_of_a_permutation()
    {
        IReadOnlyList<IReadOnlyList<int>> subsets = ConvTrainer.DrawSubsets(100, 30, 3, new Random(1));
        Assert.Equal(3, subsets.Count);
        Assert.All(subsets, s => Assert.Equal(30, s.Count));
        Assert.Equal(90, subsets.SelectMany(s => s).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 100), ConvTrainer.DrawSubsets(100, null, 1, new Random(1))[0]);
    }

    [Fact]
    public void Training_recovers_data_generated_by_an_exact_conv_decoder()
    {
        // An exact conv-unpool decoder (leaky ReLU 0.5) generates the data; alternating latent and kernel solves from
        // random kernels must reproduce it. (With two layers only the top one can be exact: the latents it solves are the
        // true ones up to a channel mixing, which the lower layer's activation cannot represent in general.)
        var random = new Random(3);
        ConvUnpoolGeometry g = new ConvLayerSpec(2, 3, ConvolutionPadding.Full, 2).Resolve(new ImageShape(1, 12, 12));
        var truth = new ConvNetwork<double>([RandomLayer(g, random)]);
        const int n = 200;
        var codes = Matrix<double>.FromRowMajor(ConvReference.Random(random, n * truth.LatentLength), n, truth.LatentLength);
        var data = new Matrix<double>(n, truth.OutputLength);
        truth.Decode(codes.AsReadOnlySpan(), data.AsSpan());
        double meanSquare = data.Span.ToArray().Select(v => v * v).Average();

        var options = new ConvTrainingOptions { EpochsPerLayer = 40, WeightSubsetSize = 50 };
        ConvTrainingResult<double> result = ConvTrainer.Train([g], data.AsReadOnlySpan(), options);

        Assert.True(result.History[^1].NetworkMse < 1e-8 * meanSquare, $"network MSE {result.History[^1].NetworkMse} vs data mean square {meanSquare}");
        var decoded = new Matrix<double>(n, truth.OutputLength);
        result.Network.Decode(result.Latents.AsReadOnlySpan(), decoded.AsSpan());
        Assert.True(MaxAbsDifference(decoded.Span, data.Span) < 1e-3);
        var encoded = new Matrix<double>(n, truth.LatentLength);
        result.Network.Encode(data.AsReadOnlySpan(), encoded.AsSpan());
        Assert.True(MaxAbsDifference(encoded.Span, result.Latents.Span) < 1e-6, "encoding the training data gives its training latents");
    }
}
