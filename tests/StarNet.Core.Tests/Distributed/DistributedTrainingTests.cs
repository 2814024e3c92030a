using System.Numerics;
using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Distributed;

/// <summary>
/// Training on K shards (simulated ranks on threads, sums in rank order) gives the single-process model to
/// rounding, for both weight-solve paths: the layers, the prior, the stacked latents, the outlier calibration on
/// rank 0 and every recorded loss.
/// </summary>
public class DistributedTrainingTests
{
    private static readonly int[] Widths = [3, 6, 10];

    private static DecoderArchitecture Arch => new(Widths, Activation.LeakyRelu());

    public static TheoryData<SolverMethod, int[]> Cases() => new()
    {
        { SolverMethod.Qr, [100, 100] },
        { SolverMethod.NormalEquations, [100, 100] },
        { SolverMethod.Qr, [70, 5, 125] },
        { SolverMethod.NormalEquations, [70, 5, 125] },
        { SolverMethod.SemiNormal, [50, 50, 50, 50] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sharded_training_equals_single_process_training(SolverMethod solver, int[] split) =>
        Compare<double>(new TrainingOptions { Solver = solver, EpochsPerLayer = 3, PlateauTolerance = 0 }, split, 1e-8);

    [Theory]
    [InlineData(SolverMethod.Qr)]
    [InlineData(SolverMethod.NormalEquations)]
    public void Weight_subsets_and_random_initial_latents_are_drawn_as_on_one_process(SolverMethod solver) =>
        Compare<double>(new TrainingOptions { Solver = solver, EpochsPerLayer = 3, PlateauTolerance = 0, WeightSubsetSize = 90, FirstStep = TrainingStep.Weights }, [60, 80, 60], 1e-8);

    [Theory]
    [InlineData(GaugeFixing.None, 0)]
    [InlineData(GaugeFixing.Whiten, 3)]
    [InlineData(GaugeFixing.PrincipalAxes, 3)]
    [InlineData(GaugeFixing.ActivationRange, 0)]
    public void Gauge_fixing_and_refinement_on_shards_equal_single_process_training(GaugeFixing gauge, int sweeps) =>
        Compare<double>(new TrainingOptions { EpochsPerLayer = 3, PlateauTolerance = 0, Gauge = gauge, RefinementSweeps = sweeps, RefinementTolerance = 0 }, [70, 5, 125], 1e-8);

    [Fact]
    public void Float_training_on_shards_equals_single_process_float_training() =>
        Compare<float>(new TrainingOptions { EpochsPerLayer = 2, PlateauTolerance = 0 }, [120, 80], 2e-3);

    [Fact]
    public void A_bad_shard_stops_every_rank_with_the_same_error()
    {
        Matrix<double> x = Data<double>(60);
        x[45, 2] = double.NaN;
        string[] errors = InProcessCommunicatorGroup.Run(2, c =>
        {
            try
            {
                StarNetTrainer.Train(x.AsReadOnlySpan().Slice(30 * c.Rank, 0, 30, 10), default, false, Arch, null, c);
                return "trained";
            }
            catch (RankFailedException e)
            {
                return e.Message;
            }
        });
        Assert.All(errors, e => Assert.StartsWith("rank 1 failed: data[15, 2] is NaN", e, StringComparison.Ordinal));
    }

    private static void Compare<T>(TrainingOptions options, int[] split, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = split.Sum();
        Matrix<T> x = Data<T>(n);
        Matrix<T> test = Data<T>(40, seed: 11);
        TrainingResult<T> single = StarNetTrainer.Train(x.AsReadOnlySpan(), test.AsReadOnlySpan(), Arch, options);

        TrainingResult<T>[] ranks = InProcessCommunicatorGroup.Run(split.Length, c =>
        {
            int start = split.Take(c.Rank).Sum();
            RowPartition testRows = RowPartition.For(test.Rows, c);
            return StarNetTrainer.Train(
                x.AsReadOnlySpan().Slice(start, 0, split[c.Rank], x.Cols),
                test.AsReadOnlySpan().Slice((int)testRows.Start, 0, testRows.Count, test.Cols),
                true,
                Arch,
                options,
                c);
        });

        foreach (TrainingResult<T> rank in ranks)
        {
            for (int layer = 0; layer < single.Model.Layers.Count; layer++)
            {
                Close(single.Model.Layers[layer].Weight, rank.Model.Layers[layer].Weight, tolerance, $"W_{layer + 1}");
                Close(Row(single.Model.Layers[layer].Bias), Row(rank.Model.Layers[layer].Bias), tolerance, $"b_{layer + 1}");
            }

            Close(Row(single.Model.LatentPrior!.Mean), Row(rank.Model.LatentPrior!.Mean), tolerance, "prior mean");
            Close(single.Model.LatentPrior.CholeskyFactor, rank.Model.LatentPrior.CholeskyFactor, tolerance, "prior factor");
            Assert.Equal(single.History.Steps.Count, rank.History.Steps.Count);
            for (int s = 0; s < single.History.Steps.Count; s++)
            {
                TrainingStepMetrics a = single.History.Steps[s], b = rank.History.Steps[s];
                Assert.Equal((a.Layer, a.Epoch, a.Step), (b.Layer, b.Epoch, b.Step));
                Relative(a.LayerMse, b.LayerMse, tolerance, $"step {s} layer MSE");
                Relative(a.NetworkElastic, b.NetworkElastic, tolerance, $"step {s} network elastic");
                Relative(a.ResidualNormMean, b.ResidualNormMean, tolerance, $"step {s} mean residual");
                Relative(a.ResidualNormMax, b.ResidualNormMax, tolerance, $"step {s} max residual");
                Condition(a, b, options.Solver, s, tolerance);
            }

            Relative(single.History.TestReconstructionMse!.Value, rank.History.TestReconstructionMse!.Value, tolerance, "test MSE");
        }

        // The latents of the shards, stacked in rank order, are the single-process latents.
        var stacked = new Matrix<T>(n, Widths[0]);
        int row = 0;
        foreach (TrainingResult<T> rank in ranks)
        {
            rank.Latents.AsReadOnlySpan().CopyTo(stacked.Slice(row, 0, rank.Latents.Rows, Widths[0]));
            row += rank.Latents.Rows;
        }

        Close(single.Latents.AsReadOnlySpan(), stacked.AsReadOnlySpan(), tolerance, "latents");

        // Rank 0 alone fits the outlier calibration, from every rank's residual norms.
        Assert.NotNull(ranks[0].Model.OutlierCalibration);
        Assert.All(ranks.Skip(1), r => Assert.Null(r.Model.OutlierCalibration));
        Assert.Equal(single.Model.OutlierCalibration!.LogMedians.Count, ranks[0].Model.OutlierCalibration!.LogMedians.Count);
        for (int i = 0; i < single.Model.OutlierCalibration.LogMedians.Count; i++)
        {
            double median = single.Model.OutlierCalibration.LogMedians[i];
            Assert.Equal(median, ranks[0].Model.OutlierCalibration!.LogMedians[i], tolerance * Math.Max(1, Math.Abs(median)));
        }
    }

    /// <summary>
    /// Condition estimates: the normal equations estimate from the same Gram factor, so to rounding; TSQR's R equals the
    /// single-process R only up to the signs of its rows, which steer the 1-norm estimator (a lower bound found by a
    /// short search) another way, so there only the same order of magnitude is asked for.
    /// </summary>
    private static void Condition(TrainingStepMetrics single, TrainingStepMetrics sharded, SolverMethod solver, int step, double tolerance)
    {
        if (sharded.Step == TrainingStep.Latents || solver == SolverMethod.NormalEquations)
        {
            Relative(single.ConditionEstimate, sharded.ConditionEstimate, Math.Max(1e-6, tolerance), $"step {step} condition estimate");
            return;
        }

        double ratio = sharded.ConditionEstimate / single.ConditionEstimate;
        Assert.True(ratio is > 1.0 / 3 and < 3, $"step {step}: TSQR condition estimate {sharded.ConditionEstimate:G4} against {single.ConditionEstimate:G4}");
    }

    private static Matrix<T> Data<T>(int n, int seed = 7)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StarNetModel<double> truth = Synthetic.RandomModel<double>(Widths, Activation.LeakyRelu(), seed);
        Matrix<double> x = Synthetic.Decode(truth, Synthetic.Gaussian<double>(n, Widths[0], seed + 1));
        // Plus noise, so that no layer fits exactly.
        System.Numerics.Tensors.TensorPrimitives.Add(x.Span, Synthetic.Gaussian<double>(n, Widths[^1], seed + 2, 0.05).Span, x.Span);
        return Synthetic.Convert<double, T>(x);
    }

    private static ReadOnlyMatrixSpan<T> Row<T>(ReadOnlySpan<T> values)
        where T : unmanaged => new(values, 1, values.Length);

    private static void Close<T>(ReadOnlyMatrixSpan<T> expected, ReadOnlyMatrixSpan<T> actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double difference = Synthetic.MaxAbsDifference(expected, actual);
        double scale = Math.Max(1, Synthetic.MaxAbs(expected));
        Assert.True(difference <= tolerance * scale, $"{what}: max |single - sharded| = {difference:E2} > {tolerance:E0} x {scale:G3}");
    }

    private static void Relative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{what}: single {expected:G17}, sharded {actual:G17}");
}
