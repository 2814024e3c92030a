using FsCheck.Xunit;
using StarNet.Core.Tests.Support;
using StarNet.Distributed;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>
/// Gauge fixing between layers (issue #8): every option changes the latents a layer hands down by an invertible affine
/// map and absorbs its inverse into the layer, so the network's output from the new latents equals its output from the
/// old ones to rounding; and each option gives the coordinates it promises.
/// </summary>
[Properties(Arbitrary = [typeof(DecoderArbitraries)], MaxTest = 40)]
public class GaugeFixingProperties
{
    [Property]
    public void A_gauge_change_leaves_the_network_output_unchanged_to_rounding(DecoderCase c)
    {
        (StarNetModel<double> truth, Matrix<double> hidden) = HiddenUnits(c);
        DenseLayer<double>[] above = [.. truth.Layers.Skip(1)];
        Matrix<double> expected = Forward(above, truth.Architecture.Activation, hidden);
        double scale = Math.Max(1, Synthetic.MaxAbs(expected.AsReadOnlySpan()));
        foreach (GaugeFixing gauge in Enum.GetValues<GaugeFixing>())
        {
            (Matrix<double> latents, DenseLayer<double> upper) = Apply(gauge, hidden, above[0], truth.Architecture.Activation);
            Matrix<double> actual = Forward([upper, .. above.Skip(1)], truth.Architecture.Activation, latents);
            double error = Synthetic.MaxAbsDifference(expected.AsReadOnlySpan(), actual.AsReadOnlySpan());
            Assert.True(error <= 1e-9 * scale, $"{gauge}: output changed by {error:E3} (output scale {scale:G3}) for {c}");
        }
    }

    [Property]
    public void Each_gauge_gives_the_coordinates_it_promises(DecoderCase c)
    {
        (StarNetModel<double> truth, Matrix<double> hidden) = HiddenUnits(c);
        Activation activation = truth.Architecture.Activation;
        DenseLayer<double> upper = truth.Layers[1];
        int d = hidden.Cols;
        TrainingShard shard = TrainingShard.Create(SingleProcessCommunicator.Instance, hidden.Rows);

        // Whitened: mean 0, covariance I.
        (Matrix<double> white, _) = Apply(GaugeFixing.Whiten, hidden, upper, activation);
        (double[] mean, Matrix<double> covariance) = LatentGauge.Moments(white.AsReadOnlySpan(), shard);
        Assert.All(mean, m => Assert.True(Math.Abs(m) < 1e-9, $"whitened mean {m:E3} for {c}"));
        AssertNear(covariance, (i, j) => i == j ? 1 : 0, 1e-8, $"whitened covariance for {c}");

        // Principal axes: W' has orthonormal columns, the latents are centred and uncorrelated with descending variances.
        (Matrix<double> axes, DenseLayer<double> rotated) = Apply(GaugeFixing.PrincipalAxes, hidden, upper, activation);
        var gram = new Matrix<double>(d, d);
        Blas.Gemm(1.0, rotated.Weight, MatrixOp.Transpose, rotated.Weight, MatrixOp.None, 0.0, gram.AsSpan());
        AssertNear(gram, (i, j) => i == j ? 1 : 0, 1e-9, $"W'^T W' for {c}");
        (mean, covariance) = LatentGauge.Moments(axes.AsReadOnlySpan(), shard);
        Assert.All(mean, m => Assert.True(Math.Abs(m) < 1e-9 * Math.Max(1, covariance[0, 0]), $"principal-axes mean {m:E3} for {c}"));
        AssertNear(covariance, (i, j) => i == j ? covariance[i, i] : 0, 1e-9 * Math.Max(1, covariance[0, 0]), $"principal-axes covariance for {c}");
        for (int j = 1; j < d; j++)
        {
            Assert.True(covariance[j, j] <= covariance[j - 1, j - 1] * (1 + 1e-9), $"variances not descending for {c}");
        }

        // In range: leaky ReLU latents start at 0 in every coordinate; tanh within [-0.5, 0.5]; sigmoid within [0.25, 0.75].
        foreach (GaugeFixing gauge in new[] { GaugeFixing.ActivationRange, GaugeFixing.PrincipalAxesInRange })
        {
            (Matrix<double> ranged, _) = Apply(gauge, hidden, upper, activation);
            for (int j = 0; j < d; j++)
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int r = 0; r < ranged.Rows; r++)
                {
                    lo = Math.Min(lo, ranged[r, j]);
                    hi = Math.Max(hi, ranged[r, j]);
                }

                (double wantLo, double? wantHi) = activation.Kind switch
                {
                    ActivationKind.LeakyRelu => (0.0, (double?)null),
                    ActivationKind.Tanh => (-0.5, 0.5),
                    ActivationKind.Sigmoid => (0.25, 0.75),
                    _ => (double.NaN, null),
                };
                if (!double.IsNaN(wantLo))
                {
                    Assert.True(Math.Abs(lo - wantLo) < 1e-9 * Math.Max(1, Math.Abs(hi)), $"{gauge}: coordinate {j} starts at {lo} for {c}");
                }

                if (wantHi is double top)
                {
                    Assert.True(Math.Abs(hi - top) < 1e-9, $"{gauge}: coordinate {j} ends at {hi} for {c}");
                }
            }
        }
    }

    /// <summary>A random two-layer decoder and the outputs of its layer 1 on Gaussian codes (the inputs of layer 2).</summary>
    internal static (StarNetModel<double> Truth, Matrix<double> Hidden) HiddenUnits(DecoderCase c)
    {
        // A square first layer makes the hidden units full rank (an invertible affine map of Gaussian codes through the
        // activation), so that whitening, which inverts their covariance, is defined for every activation.
        int[] widths = [c.Widths[^2], c.Widths[^2], c.Widths[^1]];
        StarNetModel<double> truth = Synthetic.RandomModel<double>(widths, c.Activation, c.Seed);
        Matrix<double> codes = Synthetic.Gaussian<double>(c.Datapoints + widths[1], widths[0], c.Seed + 1);
        return (truth, Forward([truth.Layers[0]], truth.Architecture.Activation, codes));
    }

    internal static (Matrix<double> Latents, DenseLayer<double> Upper) Apply(GaugeFixing gauge, Matrix<double> hidden, DenseLayer<double> upper, Activation activation) =>
        LatentGauge.Apply(gauge, Matrix<double>.CopyOf(hidden.AsReadOnlySpan()), upper, activation, TrainingShard.Create(SingleProcessCommunicator.Instance, hidden.Rows), 2);

    internal static Matrix<double> Forward(DenseLayer<double>[] layers, Activation activation, Matrix<double> input)
    {
        var output = new Matrix<double>(input.Rows, layers[^1].OutputWidth);
        DecoderPass.Forward<double>(layers, activation, input.AsReadOnlySpan(), output.AsSpan());
        return output;
    }

    private static void AssertNear(Matrix<double> m, Func<int, int, double> expected, double tolerance, string what)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                Assert.True(Math.Abs(m[i, j] - expected(i, j)) <= tolerance, $"{what}: [{i}, {j}] is {m[i, j]:G6}, expected {expected(i, j):G6}");
            }
        }
    }
}
