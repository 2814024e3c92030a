using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>
/// A float layer whose first latents are nearly collinear (the orthogonal initial W projects the data's 13-dimensional
/// span almost onto 12 dimensions: [H 1] has condition 5.4e6), so the weight solve returns a W of norm 1.9e5 and
/// condition 2.3e5 whose output cancels a bias of about -3300. The pseudo-inverse of such a W solved the next latents
/// with residuals of about 240 (the training's MSE went from 5e-5 to 84 and never recovered: relative RMS 19); the
/// solve through the factorization keeps them at about 0.1. Found by ExactRecoveryProperties
/// (widths 13 -> 15, leaky ReLU slope 2, 112 datapoints, seed 921307997) on a CI run.
/// </summary>
public class IllConditionedLatentSolveTests
{
    [Theory]
    [InlineData(SolverMethod.Qr)]
    [InlineData(SolverMethod.RandomizedCholeskyQr)]
    [InlineData(SolverMethod.NormalEquations)]
    public void A_float_layer_fitted_to_nearly_collinear_latents_is_still_recovered(SolverMethod method)
    {
        int[] widths = [13, 15];
        const int seed = 921307997, n = 112;
        StarNetModel<float> truth = Synthetic.RandomModel<float>(widths, Activation.LeakyRelu(2.0), seed);
        Matrix<float> x = Synthetic.Decode(truth, Synthetic.Gaussian<float>(n, widths[0], seed + 1));
        double scale = Synthetic.MeanSquare(x.AsReadOnlySpan());
        TrainingResult<float> result = StarNetTrainer.Train(x.AsReadOnlySpan(), truth.Architecture, new TrainingOptions { EpochsPerLayer = 5, PlateauTolerance = 0, Seed = seed, Solver = method });

        // The case is what it claims to be: weight solves near condition 1/eps(float), latent solves past the
        // pseudo-inverse's limit of 4096.
        Assert.True(result.History.Steps.Where(s => s.Step == TrainingStep.Weights).Min(s => s.ConditionEstimate) > 1e6, "the weight solves should be this ill-conditioned");
        Assert.True(result.History.Steps.Where(s => s.Step == TrainingStep.Latents).Skip(1).Min(s => s.ConditionEstimate) > 4096, "the latent solves should be past the pseudo-inverse's limit");

        // Every latent step after the first keeps the fit (the pseudo-inverse's took the MSE from 5e-5 to 84).
        foreach (TrainingStepMetrics step in result.History.Steps.Skip(2))
        {
            Assert.True(step.LayerMse <= 1e-3 * scale, $"{step.StepName} step of epoch {step.Epoch}: MSE {step.LayerMse:E3} against a data mean square of {scale:E3}");
        }

        double train = Math.Sqrt(result.History.Steps[^1].NetworkMse / scale);
        double inference = Math.Sqrt(result.Model.Evaluate(x.AsReadOnlySpan()).Mse / scale);
        // The model decodes by cancelling terms near 1e5 down to data of size 1, so float rounding alone is about
        // u 1e5 ~ 1e-2 relative (measured on the three SIMD paths: 4.3e-3 to 9.3e-3 training, 3.7e-6 to 5.8e-3
        // inference); before the fix the training ended at 19.
        Assert.True(train <= 5e-2, $"training reconstruction relative RMS {train:E3}");
        Assert.True(inference <= 5e-2, $"inference reconstruction relative RMS {inference:E3}");
    }
}
