using FsCheck;
using FsCheck.Xunit;
using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>
/// Data generated exactly by a decoder is fitted to near machine precision where the paper's method can do so:
/// any single layer (the weight solve then sees latents that are an affine image of the true ones). A deep
/// decoder is fitted exactly at its top layer only: the latents that layer hands down are the true hidden
/// units up to an unknown affine map, which the next activation does not commute with (the gauge freedom that
/// issue #8 addresses; see docs/model.md). Lower layers can even meet rank-deficient weight solves (a deep
/// linear decoder's data span only d_0 + 1 dimensions).
/// </summary>
[Properties(Arbitrary = [typeof(DecoderArbitraries)], MaxTest = 60)]
public class ExactRecoveryProperties
{
    [Property]
    public void Single_layer_decoder_is_recovered_to_near_machine_precision_in_double(DecoderCase c)
    {
        int[] widths = [c.Widths[^2], c.Widths[^1]];
        SolverMethod method = (SolverMethod)(c.Seed % 4);
        (double trainRel, double inferenceRel, double condition) = Recover<double>(widths, c.Activation, c.Datapoints, c.Seed, method);
        double tolerance = DoubleTolerance(condition);
        Assert.True(trainRel <= tolerance, $"training reconstruction relative RMS {trainRel:E3} for {c} ({method}, condition {condition:G3})");
        Assert.True(inferenceRel <= tolerance, $"inference reconstruction relative RMS {inferenceRel:E3} for {c} ({method}, condition {condition:G3})");
    }

    [Property]
    public void Single_layer_decoder_is_recovered_to_near_machine_precision_in_float(DecoderCase c)
    {
        int[] widths = [c.Widths[^2], c.Widths[^1]];
        // Householder QR: in float the normal equations' A^T b carries kappa^2 eps(float), which an exact fit
        // (zero residual) exposes; QR's error is kappa eps.
        // Float rounding is amplified by the condition of the random truth's latent and weight systems, which is
        // poor when the datapoints barely outnumber the inputs (seen: widths 13 -> 18 from 48 datapoints gave a
        // relative RMS of 8.5e-2 after three epochs). Float cases therefore get at least 8 datapoints per unknown.
        int n = Math.Max(c.Datapoints, 8 * (widths[0] + 1));
        // The randomized CholeskyQR has QR's error terms (times kappa(Q1)^2, about 9), so it gets the same room.
        SolverMethod method = c.Seed % 2 == 0 ? SolverMethod.Qr : SolverMethod.RandomizedCholeskyQr;
        (double trainRel, double inferenceRel, double condition) = Recover<float>(widths, c.Activation, n, c.Seed, method);

        // The inverses of tanh and sigmoid amplify a float's rounding near the ends of their range (atanh'(y) =
        // 1 / (1 - y^2)), so they get ten times the room of the piecewise-linear activations. And as in LAPACK's
        // tests the bound scales with the conditioning: the largest condition estimate the solves reported
        // (seen: widths 10 -> 12 from 88 datapoints, [H 1] at 1.6e5 and W at 2e3, relative RMS 8e-3), times
        // 30 eps(float).
        double tolerance = Math.Max(c.Activation.Kind is ActivationKind.Tanh or ActivationKind.Sigmoid ? 5e-3 : 5e-4, 30 * 1.1920929e-7 * condition);
        Assert.True(trainRel <= tolerance, $"training reconstruction relative RMS {trainRel:E3} for {c} ({method}, condition {condition:G3})");
        Assert.True(inferenceRel <= tolerance, $"inference reconstruction relative RMS {inferenceRel:E3} for {c} ({method}, condition {condition:G3})");
    }

    [Property]
    public void Top_layer_of_a_deep_decoder_fits_its_data_to_near_machine_precision(DecoderCase c)
    {
        // The top layer is trained first and alone, on the data; its latents are then the true hidden units up to
        // an affine map. A square first layer makes the true hidden units full rank (a leaky ReLU of an invertible
        // affine map of Gaussian codes); with a narrower code they can be rank deficient, which no method fits.
        Activation leaky = Synthetic.Activations[c.ActivationIndex % 3];
        int[] widths = [c.Widths[^2], c.Widths[^2], c.Widths[^1]];
        StarNetModel<double> truth = Synthetic.RandomModel<double>(widths, leaky, c.Seed);
        Matrix<double> x = Synthetic.Decode(truth, Synthetic.Gaussian<double>(c.Datapoints, widths[0], c.Seed + 1));
        var top = new DecoderArchitecture([c.Widths[^2], c.Widths[^1]], leaky);
        TrainingResult<double> result = StarNetTrainer.Train(x.AsReadOnlySpan(), top, new TrainingOptions { EpochsPerLayer = 5, PlateauTolerance = 0, Seed = (ulong)c.Seed });
        double rel = Math.Sqrt(result.History.Steps[^1].LayerMse / Synthetic.MeanSquare(x.AsReadOnlySpan()));
        double condition = result.History.Steps.Max(s => s.ConditionEstimate);
        Assert.True(rel <= DoubleTolerance(condition), $"top layer relative RMS {rel:E3} for {c} ({leaky}, condition {condition:G3})");
    }

    /// <summary>1e-9, or 30 eps(double) times the largest condition estimate of the solves where that is larger (LAPACK-style scaling).</summary>
    private static double DoubleTolerance(double condition) => Math.Max(1e-9, 30 * 2.220446049250313e-16 * condition);

    private static (double Train, double Inference, double Condition) Recover<T>(int[] widths, Activation activation, int n, int seed, SolverMethod solver = SolverMethod.NormalEquations)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        StarNetModel<T> truth = Synthetic.RandomModel<T>(widths, activation, seed);
        Matrix<T> x = Synthetic.Decode(truth, Synthetic.Gaussian<T>(n, widths[0], seed + 1));
        double scale = Synthetic.MeanSquare(x.AsReadOnlySpan());
        TrainingResult<T> result = StarNetTrainer.Train(x.AsReadOnlySpan(), truth.Architecture, new TrainingOptions { EpochsPerLayer = 5, PlateauTolerance = 0, Seed = (ulong)seed, Solver = solver });
        double train = Math.Sqrt(result.History.Steps[^1].NetworkMse / scale);
        double inference = Math.Sqrt(result.Model.Evaluate(x.AsReadOnlySpan()).Mse / scale);
        return (train, inference, result.History.Steps.Max(s => s.ConditionEstimate));
    }
}
