using StarNet.Core.Tests.Model;
using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

public class TrainerTests
{
    private static readonly int[] Widths = [3, 6, 10];

    /// <summary>Data from a random two-layer leaky-ReLU decoder plus noise, so that no layer fits exactly.</summary>
    private static Matrix<double> NoisyData(int n = 80, int seed = 7)
    {
        StarNetModel<double> truth = Synthetic.RandomModel<double>(Widths, Activation.LeakyRelu(), seed);
        Matrix<double> x = Synthetic.Decode(truth, Synthetic.Gaussian<double>(n, Widths[0], seed + 1));
        Matrix<double> noise = Synthetic.Gaussian<double>(n, Widths[^1], seed + 2, 0.05);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Widths[^1]; j++)
            {
                x[i, j] += noise[i, j];
            }
        }

        return x;
    }

    private static DecoderArchitecture Arch => new(Widths, Activation.LeakyRelu());

    [Fact]
    public void Every_half_step_is_recorded_and_reported_with_the_papers_layer_numbering()
    {
        Matrix<double> x = NoisyData();
        var reports = new List<TrainingProgress>();
        var options = new TrainingOptions { EpochsPerLayer = 3, PlateauTolerance = 0 };
        TrainingResult<double> result = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, options, new SynchronousProgress<TrainingProgress>(reports.Add));
        TrainingHistory h = result.History;

        Assert.Equal([2, 1], h.Layers.Select(l => l.Layer));
        Assert.Equal(h.Steps.Count, reports.Count);
        Assert.Equal(h.Steps, reports.Select(r => r.Metrics));
        foreach (LayerTrainingSummary layer in h.Layers)
        {
            TrainingStepMetrics[] steps = [.. h.Steps.Where(s => s.Layer == layer.Layer)];
            Assert.Equal((2 * layer.Epochs) + 1, steps.Length);
            for (int i = 0; i < steps.Length; i++)
            {
                Assert.Equal(i % 2 == 0 ? TrainingStep.Latents : TrainingStep.Weights, steps[i].Step);
                Assert.Equal(Math.Min((i / 2) + 1, layer.Epochs), steps[i].Epoch);
                Assert.True(steps[i].Seconds >= steps[i].SolveSeconds && steps[i].Flops > 0);
                Assert.True(steps[i].LayerElastic > steps[i].LayerMse && double.IsFinite(steps[i].NetworkMse));
            }

            Assert.Equal(steps[^1].LayerMse, layer.LayerMse);
        }

        // The top layer's output is the data: its layer and network losses are the same numbers.
        Assert.All(h.Steps.Where(s => s.Layer == 2), s => Assert.Equal(s.LayerMse, s.NetworkMse));
        Assert.All(reports, r => Assert.Equal(x.Rows, r.ResidualNorms.Length));
        Assert.All(reports, r => Assert.Equal(2, r.LayerCount));
        Assert.Equal(x.Rows, result.Latents.Rows);
        Assert.Equal(Widths[0], result.Latents.Cols);
    }

    [Fact]
    public void Coordinate_descent_never_increases_the_layers_least_squares_residual()
    {
        Matrix<double> x = NoisyData();
        var reports = new List<TrainingProgress>();
        StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { EpochsPerLayer = 4, PlateauTolerance = 0 }, new SynchronousProgress<TrainingProgress>(reports.Add));
        foreach (IGrouping<int, TrainingProgress> layer in reports.GroupBy(r => r.Metrics.Layer))
        {
            double previous = double.PositiveInfinity;
            foreach (TrainingProgress r in layer)
            {
                double sse = r.ResidualNorms.Sum(v => v * v);
                Assert.True(sse <= previous * (1 + 1e-9), $"layer {layer.Key} epoch {r.Metrics.Epoch} {r.Metrics.StepName}: {sse} after {previous}");
                previous = sse;
            }
        }
    }

    [Fact]
    public void Same_seed_gives_bit_identical_results_whatever_the_thread_count()
    {
        Matrix<double> x = NoisyData();
        TrainingResult<double> one = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { Seed = 42, DegreeOfParallelism = 1 });
        TrainingResult<double> two = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { Seed = 42, DegreeOfParallelism = 2 });
        TrainingResult<double> again = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { Seed = 42, DegreeOfParallelism = 2 });
        foreach (TrainingResult<double> other in new[] { two, again })
        {
            Assert.True(Synthetic.BitIdentical(one.Latents.AsReadOnlySpan(), other.Latents.AsReadOnlySpan()));
            for (int i = 0; i < Arch.LayerCount; i++)
            {
                Assert.True(Synthetic.BitIdentical(one.Model.Layers[i].Weight, other.Model.Layers[i].Weight));
                Assert.True(one.Model.Layers[i].Bias.SequenceEqual(other.Model.Layers[i].Bias));
            }

            Assert.Equal(one.History.Steps.Select(s => s.NetworkMse), other.History.Steps.Select(s => s.NetworkMse));
        }

        TrainingResult<double> otherSeed = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { Seed = 43 });
        Assert.False(Synthetic.BitIdentical(one.Latents.AsReadOnlySpan(), otherSeed.Latents.AsReadOnlySpan()));
    }

    [Fact]
    public void Weights_first_training_from_random_latents_converges()
    {
        Matrix<double> x = NoisyData();
        TrainingResult<double> result = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { FirstStep = TrainingStep.Weights, EpochsPerLayer = 4 });
        TrainingStepMetrics[] top = [.. result.History.Steps.Where(s => s.Layer == 2)];
        Assert.Equal(TrainingStep.Weights, top[0].Step);
        Assert.Equal(TrainingStep.Latents, top[^1].Step);
        Assert.True(top[^1].LayerMse < 0.1 * top[0].LayerMse, $"{top[0].LayerMse} -> {top[^1].LayerMse}");
    }

    [Fact]
    public void Weight_solves_on_a_random_subset_use_that_many_datapoints()
    {
        Matrix<double> x = NoisyData(n: 300);
        TrainingResult<double> result = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { WeightSubsetSize = 40, PlateauTolerance = 0 });
        Assert.All(result.History.Steps, s => Assert.Equal(s.Step == TrainingStep.Weights ? 40 : 300, s.SolveDatapoints));
        TrainingResult<double> full = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { PlateauTolerance = 0 });
        double sampled = result.History.Steps[^1].NetworkMse, all = full.History.Steps[^1].NetworkMse;
        Assert.True(sampled < 3 * all, $"subset training MSE {sampled} vs full {all}");
    }

    [Fact]
    public void A_plateau_stops_a_layer_early()
    {
        StarNetModel<double> truth = Synthetic.RandomModel<double>([4, 9], Activation.LeakyRelu(), 3);
        Matrix<double> x = Synthetic.Decode(truth, Synthetic.Gaussian<double>(60, 4, 4));
        TrainingResult<double> result = StarNetTrainer.Train(x.AsReadOnlySpan(), truth.Architecture, new TrainingOptions { EpochsPerLayer = 10 });
        LayerTrainingSummary layer = Assert.Single(result.History.Layers);
        Assert.True(layer.PlateauReached);
        Assert.True(layer.Epochs <= 2, $"{layer.Epochs} epochs");

        // With noise the loss keeps falling for a while: the first epoch never counts as a plateau.
        TrainingResult<double> noisy = StarNetTrainer.Train(NoisyData().AsReadOnlySpan(), Arch, new TrainingOptions { EpochsPerLayer = 3 });
        Assert.All(noisy.History.Layers, l => Assert.True(l.Epochs >= 2, $"layer {l.Layer}: {l.Epochs} epochs"));
    }

    [Fact]
    public void Cancellation_stops_training_between_steps()
    {
        Matrix<double> x = NoisyData();
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var progress = new SynchronousProgress<TrainingProgress>(_ =>
        {
            reports++;
            cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, null, progress, cts.Token));
        Assert.Equal(1, reports);
    }

    [Fact]
    public void Every_solver_method_and_a_ridge_train_to_similar_losses()
    {
        Matrix<double> x = NoisyData();
        double reference = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch).History.Steps[^1].NetworkMse;
        foreach (SolverMethod method in Enum.GetValues<SolverMethod>())
        {
            foreach (double ridge in new[] { 0.0, 1e-6 })
            {
                var options = new TrainingOptions { Solver = method, Ridge = ridge, LatentRidge = ridge };
                double mse = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, options).History.Steps[^1].NetworkMse;
                Assert.True(Math.Abs(mse - reference) <= 1e-3 * reference, $"{method} ridge {ridge}: {mse} vs {reference}");
            }
        }
    }

    [Fact]
    public void Float_training_tracks_double_training()
    {
        Matrix<double> x = NoisyData();
        double mse64 = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch).History.Steps[^1].NetworkMse;
        Matrix<float> x32 = Synthetic.Convert<double, float>(x);
        double mse32 = StarNetTrainer.Train(x32.AsReadOnlySpan(), Arch).History.Steps[^1].NetworkMse;
        Assert.True(Math.Abs(mse32 - mse64) <= 1e-2 * mse64, $"float {mse32} vs double {mse64}");
    }

    [Fact]
    public void Test_set_metrics_are_measured_by_inference_alone()
    {
        Matrix<double> x = NoisyData(n: 120);
        var train = Matrix<double>.CopyOf(x.AsReadOnlySpan().Slice(0, 0, 100, Widths[^1]));
        var test = Matrix<double>.CopyOf(x.AsReadOnlySpan().Slice(100, 0, 20, Widths[^1]));
        TrainingResult<double> result = StarNetTrainer.Train(train.AsReadOnlySpan(), test.AsReadOnlySpan(), Arch);
        double expected = result.Model.Evaluate(test.AsReadOnlySpan()).Mse;
        Assert.Equal(expected, result.History.TestReconstructionMse);
        Assert.True(result.History.TestReconstructionElastic > expected);
    }

    [Fact]
    public void History_round_trips_through_json()
    {
        Matrix<double> x = NoisyData();
        TrainingHistory h = StarNetTrainer.Train(x.AsReadOnlySpan(), new DecoderArchitecture([3, 6, 6, 10], Activation.LeakyRelu()), new TrainingOptions { ReportNetworkMetrics = false }).History;
        Assert.NotEmpty(h.Warnings);
        Assert.Contains(h.Steps, s => double.IsNaN(s.NetworkMse));
        string json = h.ToJson();
        Assert.Contains("\"step\":\"latents\"", json, StringComparison.Ordinal);
        Assert.Contains("\"layer_mse\":", json, StringComparison.Ordinal);
        TrainingHistory back = TrainingHistory.FromJson(json);
        Assert.Equal(h.Steps, back.Steps);
        Assert.Equal(h.Layers, back.Layers);
        Assert.Equal(h.Warnings, back.Warnings);
        Assert.Equal(json, back.ToJson());
        Assert.Throws<FormatException>(() => TrainingHistory.FromJson("{\"steps\": 3}"));
    }

    [Fact]
    public void Invalid_options_and_data_are_rejected_up_front()
    {
        Matrix<double> x = NoisyData();
        Assert.Throws<ArgumentOutOfRangeException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { EpochsPerLayer = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { Ridge = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, new TrainingOptions { DegreeOfParallelism = 0 }));
        x[5, 3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch));
        Assert.Contains("data[5, 3]", e.Message, StringComparison.Ordinal);
    }
}
