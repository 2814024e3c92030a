using FsCheck.Xunit;
using StarNet.Core.Tests.Data.Support;
using StarNet.Core.Tests.Support;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>
/// Whole-network refinement (issue #8) never increases the network's training MSE: not within a sweep, not from one
/// sweep to the next, and not against the layer-wise result it starts from; the model and codes it returns reproduce
/// the MSE it reports.
/// </summary>
[Properties(Arbitrary = [typeof(DecoderArbitraries)], MaxTest = 40)]
public class RefinementProperties
{
    [Property]
    public void Refinement_never_increases_the_loss_on_random_data(DecoderCase c)
    {
        // Data of no decoder (uniform noise shifted and scaled per column, clamped into the activation's range), so
        // the solves leave residuals everywhere; every gauge in turn.
        var random = new Random(c.Seed);
        var x = new Matrix<double>(c.Datapoints, c.Widths[^1]);
        for (int r = 0; r < x.Rows; r++)
        {
            for (int j = 0; j < x.Cols; j++)
            {
                x[r, j] = c.Activation.Kind is ActivationKind.Tanh ? (1.6 * random.NextDouble()) - 0.8
                    : c.Activation.Kind is ActivationKind.Sigmoid ? 0.1 + (0.8 * random.NextDouble())
                    : (random.NextDouble() * (1 + j)) - 0.3;
            }
        }

        GaugeFixing gauge = (GaugeFixing)(c.Seed % 5);
        var options = new TrainingOptions { EpochsPerLayer = 2, Gauge = gauge, RefinementSweeps = 4, RefinementTolerance = 0, Seed = (ulong)c.Seed, Ridge = 1e-9 };
        TrainingResult<double> result;
        try
        {
            result = StarNetTrainer.Train(x.AsReadOnlySpan(), new DecoderArchitecture(c.Widths, c.Activation), options);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("whiten", StringComparison.Ordinal))
        {
            // Latents that are (numerically) collinear cannot be whitened; the error says so.
            return;
        }

        AssertMonotone(result, x, $"{c} gauge {gauge}");
    }

    [Fact]
    public void Refinement_never_increases_the_loss_on_mnist_digits_and_lowers_it()
    {
        Dataset data = DatasetLoader.Load(SharedData.Sample, new DatasetLoadOptions { MaxSamples = 600 });
        var train = new Matrix<float>(600, 784);
        data.Train.Pixels.AsSpan(0, 600 * 784).CopyTo(train.Span);
        var arch = new DecoderArchitecture([16, 32, 784], Activation.LeakyRelu(0.5));
        foreach (GaugeFixing gauge in Enum.GetValues<GaugeFixing>())
        {
            TrainingResult<float> result = StarNetTrainer.Train(train.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 3, Gauge = gauge, RefinementSweeps = 3, RefinementTolerance = 0 });
            AssertMonotone(result, train, $"MNIST sample, gauge {gauge}");
            Assert.True(result.History.FinalNetworkMse < result.History.Steps[^1].NetworkMse, $"gauge {gauge}: refinement did not lower the MSE ({result.History.Steps[^1].NetworkMse} -> {result.History.FinalNetworkMse})");
        }
    }

    [Fact]
    public void The_paper_literal_procedure_has_no_gauge_and_no_refinement()
    {
        Matrix<double> x = Synthetic.Decode(Synthetic.RandomModel<double>([3, 5, 9], Activation.LeakyRelu(), 4), Synthetic.Gaussian<double>(80, 3, 5));
        var arch = new DecoderArchitecture([3, 5, 9], Activation.LeakyRelu());
        TrainingResult<double> paper = StarNetTrainer.Train(x.AsReadOnlySpan(), arch, TrainingOptions.PaperLiteral with { EpochsPerLayer = 3 });
        Assert.Equal("paper_literal", paper.History.Procedure);
        Assert.Empty(paper.History.Refinement);
        Assert.Equal(paper.History.Steps[^1].NetworkMse, paper.History.FinalNetworkMse);

        TrainingResult<double> gaugeOnly = StarNetTrainer.Train(x.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 3, RefinementSweeps = 0 });
        Assert.Equal("gauge=principal_axes_in_range", gaugeOnly.History.Procedure);

        TrainingResult<double> byDefault = StarNetTrainer.Train(x.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 3 });
        Assert.Equal("gauge=principal_axes_in_range,refinement", byDefault.History.Procedure);
        Assert.NotEmpty(byDefault.History.Refinement);

        // The top layer is trained identically whatever the procedure; the history says which procedure ran.
        Assert.Equal(paper.History.Steps[0] with { Seconds = 0, SolveSeconds = 0 }, byDefault.History.Steps[0] with { Seconds = 0, SolveSeconds = 0 });
        TrainingHistory read = TrainingHistory.FromJson(byDefault.History.ToJson());
        Assert.Equal(byDefault.History.Procedure, read.Procedure);
        Assert.Equal(byDefault.History.Refinement.Count, read.Refinement.Count);
        Assert.Equal(byDefault.History.Refinement[0].WeightsAccepted, read.Refinement[0].WeightsAccepted);
        Assert.Equal(byDefault.History.Refinement[^1].NetworkMse, read.Refinement[^1].NetworkMse);
    }

    private static void AssertMonotone<T>(TrainingResult<T> result, Matrix<T> x, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        TrainingHistory h = result.History;
        Assert.NotEmpty(h.Refinement);
        double layerWise = h.Steps[^1].NetworkMse;
        double tolerance = typeof(T) == typeof(float) ? 1e-5 : 1e-10;

        // The first sweep starts where layer-wise training ended (the gauge did not change the network's output).
        Assert.True(Math.Abs(h.Refinement[0].NetworkMseBefore - layerWise) <= tolerance * Math.Max(layerWise, 1e-300), $"{what}: refinement starts at {h.Refinement[0].NetworkMseBefore:G17}, layer-wise training ended at {layerWise:G17}");
        for (int s = 0; s < h.Refinement.Count; s++)
        {
            RefinementSweep sweep = h.Refinement[s];
            Assert.True(sweep.NetworkMse <= sweep.NetworkMseBefore, $"{what}: sweep {sweep.Sweep} raised the MSE from {sweep.NetworkMseBefore:G17} to {sweep.NetworkMse:G17}");
            if (s > 0)
            {
                Assert.Equal(h.Refinement[s - 1].NetworkMse, sweep.NetworkMseBefore);
            }

            Assert.True(sweep.DatapointsImproved + sweep.DatapointsWorsened <= result.Latents.Rows);
        }

        // The returned model decodes the returned codes to the reported MSE.
        Matrix<T> decoded = Synthetic.Decode(result.Model, result.Latents);
        double squares = 0;
        for (int r = 0; r < decoded.Rows; r++)
        {
            for (int j = 0; j < x.Cols; j++)
            {
                double e = double.CreateTruncating(decoded[r, j] - x[r, j]);
                squares += e * e;
            }
        }

        double mse = squares / ((double)decoded.Rows * x.Cols);
        Assert.True(Math.Abs(mse - h.FinalNetworkMse) <= (typeof(T) == typeof(float) ? 1e-4 : 1e-9) * h.FinalNetworkMse + 1e-300, $"{what}: the model decodes the codes to MSE {mse:G17}, the history says {h.FinalNetworkMse:G17}");
    }
}
