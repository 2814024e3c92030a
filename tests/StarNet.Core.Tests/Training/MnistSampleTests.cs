using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>The paper's decoder on the bundled MNIST sample, end to end through the public API.</summary>
public class MnistSampleTests
{
    [Fact]
    public void The_papers_decoder_learns_mnist_digits_and_flags_noise_as_outliers()
    {
        Dataset data = DatasetLoader.Load(SharedData.Sample, new DatasetLoadOptions { MaxSamples = 1200 });
        var train = new Matrix<float>(1000, 784);
        data.Train.Pixels.AsSpan(0, 1000 * 784).CopyTo(train.Span);
        var test = new Matrix<float>(200, 784);
        data.Test!.Pixels.AsSpan(0, 200 * 784).CopyTo(test.Span);
        var arch = new DecoderArchitecture([128, 256, 784], Activation.LeakyRelu(0.5));

        TrainingResult<float> result = StarNetTrainer.Train(train.AsReadOnlySpan(), test.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 3 });
        TrainingHistory h = result.History;

        // Far below the MSE of predicting every pixel's mean (about 0.067 on MNIST).
        Assert.True(h.TestReconstructionMse < 0.03, $"test MSE {h.TestReconstructionMse}");
        Assert.All(h.Layers, l => Assert.True(l.LayerMse < 0.02, $"layer {l.Layer}: {l.LayerMse}"));
        Assert.Empty(h.Warnings);

        // Samples from the latent Gaussian are digit-like in range: mostly within [0, 1] after the leaky ReLU.
        Matrix<float> samples = result.Model.Generate(20, 1);
        float[] values = samples.ToArray();
        Assert.True(values.Average() is > 0.05f and < 0.3f, $"mean sample pixel {values.Average()}");

        // Uniform noise images score as outliers; test digits do not.
        var rng = new Random(3);
        var noise = new float[784];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)rng.NextDouble();
        }

        OutlierScore noiseScore = result.Model.Encoder.OutlierScore(noise);
        Assert.True(noiseScore.TailProbability < 0.01, $"noise: {noiseScore}");

        // With 1000 training images for 257 weights per output unit, the weights fit the training images better
        // than unseen ones, so unseen digits look unusual against the training calibration; calibrated on held-out
        // digits, the score flags about the nominal fraction of other held-out digits, and still all noise.
        StarNetModel<float> recalibrated = result.Model.WithOutlierCalibration(test.AsReadOnlySpan().Slice(0, 0, 100, 784));
        var tails = new double[100];
        recalibrated.Encoder.OutlierScores(test.AsReadOnlySpan().Slice(100, 0, 100, 784), new double[100], tails);
        Assert.True(tails.Count(p => p < 0.01) <= 5, $"{tails.Count(p => p < 0.01)} of 100 held-out digits flagged at 1%");
        Assert.True(recalibrated.Encoder.OutlierScore(noise).TailProbability < 0.01);
        Assert.Equal(result.Model.Encoder.PseudoInverse(2).ToArray(), recalibrated.Encoder.PseudoInverse(2).ToArray());
    }
}
