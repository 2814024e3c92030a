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
            IReadOnlyList<IReadOnlyList<int>> draw = [.. Enumerable.Range(0, subsets).Select(s => Enumerable.Range(s * (images / subsets), images / subsets).ToArray())];
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
}
