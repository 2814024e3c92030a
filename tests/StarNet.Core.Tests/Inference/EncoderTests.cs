using StarNet.Core.Tests.Support;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Inference;

public class EncoderTests
{
    private static readonly int[] Widths = [4, 12, 30];

    /// <summary>Noisy data from one fixed random decoder; the seed picks the latents and the noise.</summary>
    private static Matrix<T> Data<T>(int n, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        StarNetModel<T> truth = Synthetic.RandomModel<T>(Widths, Activation.LeakyRelu(), 11);
        Matrix<T> x = Synthetic.Decode(truth, Synthetic.Gaussian<T>(n, Widths[0], seed));
        Matrix<T> noise = Synthetic.Gaussian<T>(n, Widths[^1], seed + 1, 0.02);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Widths[^1]; j++)
            {
                x[i, j] += noise[i, j];
            }
        }

        return x;
    }

    private static (StarNetModel<T> Model, Matrix<T> Data) Trained<T>(int n = 400)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Matrix<T> x = Data<T>(n, 12);
        var arch = new DecoderArchitecture(Widths, Activation.LeakyRelu());
        return (StarNetTrainer.Train(x.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 3 }).Model, x);
    }

    [Fact]
    public void Warm_single_sample_inference_allocates_nothing()
    {
        (StarNetModel<float> model, Matrix<float> x) = Trained<float>();
        StarNetEncoder<float> encoder = model.Encoder;
        var latent = new float[Widths[0]];
        var norms = new float[Widths.Length - 1];
        var output = new float[Widths[^1]];
        var batchLatents = new Matrix<float>(x.Rows, Widths[0]);
        var batchNorms = new Matrix<float>(x.Rows, Widths.Length - 1);

        void RunAll()
        {
            for (int r = 0; r < 50; r++)
            {
                ReadOnlySpan<float> sample = x.AsReadOnlySpan().Row(r);
                encoder.Encode(sample, latent);
                encoder.Encode(sample, latent, norms);
                model.Decode(latent, output);
                model.Reconstruct(sample, output);
                _ = encoder.OutlierScore(sample);
            }

            encoder.Encode(x.AsReadOnlySpan(), batchLatents.AsSpan());
            encoder.Encode(x.AsReadOnlySpan(), batchLatents.AsSpan(), batchNorms.AsSpan());
        }

        Assert.Equal(0, SteadyStateAllocation.Fewest(RunAll, callsPerWindow: 1));
    }

    [Fact]
    public void Many_threads_can_encode_with_one_model_and_get_the_single_thread_results()
    {
        (StarNetModel<double> model, Matrix<double> x) = Trained<double>();
        var expected = new Matrix<double>(x.Rows, Widths[0]);
        for (int r = 0; r < x.Rows; r++)
        {
            model.Encoder.Encode(x.AsReadOnlySpan().Row(r), expected.AsSpan().Row(r));
        }

        var actual = new Matrix<double>(x.Rows, Widths[0]);
        var batches = new Matrix<double>[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            for (int rep = 0; rep < 5; rep++)
            {
                for (int r = t; r < x.Rows; r += 8)
                {
                    model.Encoder.Encode(x.AsReadOnlySpan().Row(r), actual.AsSpan().Row(r));
                }
            }

            batches[t] = new Matrix<double>(x.Rows, Widths[0]);
            model.Encoder.Encode(x.AsReadOnlySpan(), batches[t].AsSpan());
        });
        Assert.True(Synthetic.BitIdentical(expected.AsReadOnlySpan(), actual.AsReadOnlySpan()));
        for (int t = 1; t < 8; t++)
        {
            Assert.True(Synthetic.BitIdentical(batches[0].AsReadOnlySpan(), batches[t].AsReadOnlySpan()));
        }
    }

    [Fact]
    public void Residual_norms_vanish_for_data_the_decoder_generates_exactly()
    {
        StarNetModel<double> model = Synthetic.RandomModel<double>(Widths, Activation.Tanh, 5);
        Matrix<double> x = Synthetic.Decode(model, Synthetic.Gaussian<double>(50, Widths[0], 6));
        var latents = new Matrix<double>(50, Widths[0]);
        var norms = new Matrix<double>(50, 2);
        model.Encoder.Encode(x.AsReadOnlySpan(), latents.AsSpan(), norms.AsSpan());
        Assert.True(Synthetic.MaxAbs(norms.AsReadOnlySpan()) < 1e-12);

        Matrix<double> noise = Synthetic.Gaussian<double>(50, Widths[^1], 7, 0.3);
        model.Encoder.Encode(noise.AsReadOnlySpan(), latents.AsSpan(), norms.AsSpan());
        Assert.True(Synthetic.MaxAbs(norms.AsReadOnlySpan()) > 0.1);
    }

    [Fact]
    public void Outlier_score_separates_noise_from_data_like_the_training_set()
    {
        (StarNetModel<double> model, _) = Trained<double>(600);
        OutlierCalibration calibration = model.OutlierCalibration!;
        Assert.Equal(2, calibration.LayerCount);
        Assert.Equal(OutlierCalibration.QuantileCount, calibration.TrainingScoreQuantiles.Count);

        // Held-out data from the same generator scores like the training set: tail probabilities spread over (0, 1].
        Matrix<double> heldOut = Data<double>(200, 50);
        var scores = new double[200];
        var tails = new double[200];
        model.Encoder.OutlierScores(heldOut.AsReadOnlySpan(), scores, tails);
        double medianTail = tails.Order().ElementAt(100);
        Assert.InRange(medianTail, 0.2, 0.8);

        // Pure noise is explained far worse than anything seen in training.
        Matrix<double> noise = Synthetic.Gaussian<double>(50, Widths[^1], 99, 1.0);
        for (int r = 0; r < 50; r++)
        {
            OutlierScore s = model.Encoder.OutlierScore(noise.AsReadOnlySpan().Row(r));
            Assert.True(s.Score > 4 && s.TailProbability < 0.01, $"noise row {r}: {s}");
            Assert.InRange(s.WorstLayer, 1, 2);
        }

        Assert.Equal(1.0, calibration.TailProbability(double.NegativeInfinity));
        Assert.Equal(0.0, calibration.TailProbability(1e9));
        Assert.Equal(0.5, calibration.TailProbability(calibration.TrainingScoreQuantiles[500]), 2);
    }

    [Fact]
    public void Reconstruction_through_a_layer_decodes_what_encoding_to_that_layer_gives()
    {
        (StarNetModel<double> model, Matrix<double> x) = Trained<double>();
        var viaTop = new Matrix<double>(x.Rows, Widths[^1]);
        model.Reconstruct(x.AsReadOnlySpan(), viaTop.AsSpan(), throughLayer: 2);
        var h1 = new Matrix<double>(x.Rows, Widths[1]);
        model.Encoder.EncodeToLayer(2, x.AsReadOnlySpan(), h1.AsSpan());
        var expected = new Matrix<double>(x.Rows, Widths[^1]);
        model.DecodeFromLayer(2, h1.AsReadOnlySpan(), expected.AsSpan());
        Assert.True(Synthetic.BitIdentical(expected.AsReadOnlySpan(), viaTop.AsReadOnlySpan()));

        var full = new Matrix<double>(x.Rows, Widths[^1]);
        model.Reconstruct(x.AsReadOnlySpan(), full.AsSpan());
        var single = new double[Widths[^1]];
        model.Reconstruct(x.AsReadOnlySpan().Row(3), single);
        for (int j = 0; j < single.Length; j++)
        {
            Assert.Equal(full[3, j], single[j], 10);
        }

        Assert.Equal(model.Evaluate(x.AsReadOnlySpan()).Mse, Synthetic.MeanSquare(Difference(full, x).AsReadOnlySpan()), 12);
    }

    [Fact]
    public void Shapes_are_checked()
    {
        StarNetModel<double> model = Synthetic.RandomModel<double>(Widths, Activation.LeakyRelu(), 1);
        Assert.Throws<ArgumentException>(() => model.Encoder.Encode(new double[29], new double[4]));
        Assert.Throws<ArgumentException>(() => model.Encoder.Encode(new double[30], new double[3]));
        Assert.Throws<ArgumentException>(() => model.Decode(new double[3], new double[30]));
        Assert.Throws<InvalidOperationException>(() => model.Encoder.OutlierScore(new double[30]));
        Assert.Throws<InvalidOperationException>(() => model.Generate(3, 1));
    }

    private static Matrix<double> Difference(Matrix<double> a, Matrix<double> b)
    {
        var d = new Matrix<double>(a.Rows, a.Cols);
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Cols; j++)
            {
                d[i, j] = a[i, j] - b[i, j];
            }
        }

        return d;
    }
}
