using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model.Convolution;

namespace StarNet.Core.Tests.Convolution;

public sealed class ConvUnpoolOperatorTests
{
    [Property(MaxTest = 150)]
    public Property Dense_operator_equals_direct_convolution_and_depth_to_space() =>
        Prop.ForAll(ConvReference.Geometries, ArbMap.Default.ArbFor<int>(), (g, seed) =>
        {
            var random = new Random(seed);
            double[] kernels = ConvReference.Random(random, g.ConvChannels * g.KernelTaps);
            double[] bias = ConvReference.Random(random, g.ConvChannels);
            const int images = 3;
            double[] inputs = ConvReference.Random(random, images * g.InputLength);

            var a = new Matrix<double>(g.OutputLength, g.InputLength);
            var beta = new double[g.OutputLength];
            ConvUnpoolOperator.BuildDenseOperator<double>(g, new ReadOnlyMatrixSpan<double>(kernels, g.ConvChannels, g.KernelTaps), bias, a.AsSpan(), beta);
            var dense = new Matrix<double>(images, g.OutputLength);
            Blas.Gemm(1.0, new ReadOnlyMatrixSpan<double>(inputs, images, g.InputLength), MatrixOp.None, a.AsReadOnlySpan(), MatrixOp.Transpose, 0.0, dense.AsSpan());

            var direct = new Matrix<double>(images, g.OutputLength);
            ConvUnpoolOperator.Forward<double>(g, new ReadOnlyMatrixSpan<double>(kernels, g.ConvChannels, g.KernelTaps), bias, new ReadOnlyMatrixSpan<double>(inputs, images, g.InputLength), direct.AsSpan());

            for (int n = 0; n < images; n++)
            {
                double[] expected = ConvReference.Forward(g, kernels, bias, inputs.AsSpan(n * g.InputLength, g.InputLength).ToArray());
                double tolerance = 1e-13 * (g.KernelTaps + 1);
                for (int r = 0; r < g.OutputLength; r++)
                {
                    Assert.True(Math.Abs(expected[r] - (dense[n, r] + beta[r])) <= tolerance, $"{g}: dense operator differs at image {n}, pixel {r}");
                    Assert.True(Math.Abs(expected[r] - direct[n, r]) <= tolerance, $"{g}: direct pass differs at image {n}, pixel {r}");
                }
            }
        });

    [Property(MaxTest = 60)]
    public Property Float_direct_pass_matches_the_reference() =>
        Prop.ForAll(ConvReference.Geometries, ArbMap.Default.ArbFor<int>(), (g, seed) =>
        {
            var random = new Random(seed);
            double[] kernels = ConvReference.Random(random, g.ConvChannels * g.KernelTaps);
            double[] bias = ConvReference.Random(random, g.ConvChannels);
            double[] input = ConvReference.Random(random, g.InputLength);
            var output = new float[g.OutputLength];
            ConvUnpoolOperator.Forward<float>(
                g,
                new ReadOnlyMatrixSpan<float>(ConvReference.ToFloat(kernels), g.ConvChannels, g.KernelTaps),
                ConvReference.ToFloat(bias),
                new ReadOnlyMatrixSpan<float>(ConvReference.ToFloat(input), 1, g.InputLength),
                new MatrixSpan<float>(output, 1, g.OutputLength));
            double[] expected = ConvReference.Forward(g, kernels, bias, input);
            for (int r = 0; r < expected.Length; r++)
            {
                Assert.True(Math.Abs(expected[r] - output[r]) <= 1e-5 * (g.KernelTaps + 1), $"{g}: pixel {r}: {output[r]} vs {expected[r]}");
            }
        });

    [Property(MaxTest = 60)]
    public Property Space_to_depth_inverts_depth_to_space() =>
        Prop.ForAll(ConvReference.Geometries, ArbMap.Default.ArbFor<int>(), (g, seed) =>
        {
            double[] map = ConvReference.Random(new Random(seed), g.OutputLength);
            var targets = new Matrix<double>(g.Positions, g.ConvChannels);
            ConvUnpoolOperator.SpaceToDepth<double>(g, map, targets.AsSpan());
            var back = new double[g.OutputLength];
            ConvUnpoolOperator.DepthToSpace<double>(g, targets.AsReadOnlySpan(), back);
            Assert.Equal(map, back);
        });

    [Fact]
    public void Patches_hold_the_window_and_the_constant()
    {
        // 1x2x2 input, 2x2 full kernel: 3x3 positions; position (1, 1) sees the whole map.
        var g = new ConvUnpoolGeometry(new ImageShape(1, 2, 2), 2, ConvolutionPadding.Full, 1, 1);
        double[] input = [1, 2, 3, 4];
        var patches = new Matrix<double>(g.Positions, g.KernelUnknowns);
        patches.AsSpan().Fill(double.NaN);
        ConvUnpoolOperator.ExtractPatches<double>(g, input, patches.AsSpan());
        Assert.Equal(new double[] { 0, 0, 0, 1, 1 }, patches.AsReadOnlySpan().Row(0).ToArray());
        Assert.Equal(new double[] { 1, 2, 3, 4, 1 }, patches.AsReadOnlySpan().Row(4).ToArray());
        Assert.Equal(new double[] { 4, 0, 0, 0, 1 }, patches.AsReadOnlySpan().Row(8).ToArray());
    }

    [Fact]
    public void Shapes_are_checked_with_the_numbers()
    {
        var g = new ConvUnpoolGeometry(new ImageShape(2, 8, 8), 7, ConvolutionPadding.Full, 1, 2);
        var wrong = new Matrix<double>(3, g.KernelTaps);
        var ex = Assert.Throws<ArgumentException>(() =>
            ConvUnpoolOperator.BuildDenseOperator<double>(g, wrong.AsReadOnlySpan(), new double[4], new Matrix<double>(784, 128).AsSpan(), new double[784]));
        Assert.Contains("3x98", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4 kernels", ex.Message, StringComparison.Ordinal);
    }
}
