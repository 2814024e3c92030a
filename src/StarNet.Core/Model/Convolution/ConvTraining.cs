using System.Numerics;

namespace StarNet.Model.Convolution;

/// <summary>Options of layer-wise convolutional StarNet training; defaults are the paper's (sections 4.2, 5, 6).</summary>
public sealed record ConvTrainingOptions
{
    /// <summary>Epochs per layer; one epoch is a latent solve and a weight solve. Default 5 (the paper's plateau).</summary>
    public int EpochsPerLayer { get; init; } = 5;

    /// <summary>Images per weight solve, drawn afresh each epoch (Figure 8); default 500; null uses every image.</summary>
    public int? WeightSubsetSize { get; init; } = 500;

    /// <summary>
    /// How many subsets each weight solve averages (Lemma 8, option 2); default 1. With more, each is drawn without
    /// overlap from one permutation (as far as the images last) and the kernels are the mean of the solutions.
    /// </summary>
    public int WeightSubsetCount { get; init; } = 1;

    /// <summary>How each weight solve is factored: streamed Householder QR (default) or the normal equations (faster; see docs/convolution.md).</summary>
    public LinearAlgebra.LeastSquaresMethod WeightSolveMethod { get; init; } = LinearAlgebra.LeastSquaresMethod.HouseholderQR;

    /// <summary>The leaky ReLU negative slope (footnote 2: 0.5).</summary>
    public double NegativeSlope { get; init; } = 0.5;

    /// <summary>Ridge of the weight solves; default 0.</summary>
    public double Ridge { get; init; }

    /// <summary>Ridge of the latent solves; default 0.</summary>
    public double LatentRidge { get; init; }

    /// <summary>Whether each epoch solves the weights before the latents (Figure 7); default false (latents first).</summary>
    public bool WeightsFirst { get; init; }

    /// <summary>After a layer's last epoch, solve its latents once more so the latents handed down match the final kernels; default true.</summary>
    public bool CloseWithLatentSolve { get; init; } = true;

    /// <summary>Seed of the initial kernels and latents and of the subsets; default 0.</summary>
    public int Seed { get; init; }

    /// <summary>How many of the first images to decode after every step for pictures (Figures 3 and 5); default 0.</summary>
    public int PreviewImages { get; init; }

    /// <summary>Checks every option's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        Require(EpochsPerLayer >= 1, nameof(EpochsPerLayer), EpochsPerLayer);
        Require(WeightSubsetSize is null or >= 1, nameof(WeightSubsetSize), WeightSubsetSize);
        Require(WeightSubsetCount >= 1, nameof(WeightSubsetCount), WeightSubsetCount);
        Require(NegativeSlope > 0 && double.IsFinite(NegativeSlope), nameof(NegativeSlope), NegativeSlope);
        Require(Ridge >= 0 && double.IsFinite(Ridge), nameof(Ridge), Ridge);
        Require(LatentRidge >= 0 && double.IsFinite(LatentRidge), nameof(LatentRidge), LatentRidge);
        Require(WeightSolveMethod is LinearAlgebra.LeastSquaresMethod.HouseholderQR or LinearAlgebra.LeastSquaresMethod.NormalEquations, nameof(WeightSolveMethod), WeightSolveMethod);
        Require(PreviewImages >= 0, nameof(PreviewImages), PreviewImages);
    }

    private static void Require(bool condition, string name, object? value)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Conv training option {name} = {value} is out of range.");
        }
    }
}

/// <summary>Which half-step a training record follows.</summary>
public enum ConvTrainingStep
{
    /// <summary>Random kernels and random latents, before any solve ("Init" in Figures 4 and 5).</summary>
    Init,

    /// <summary>A latent solve (SL).</summary>
    Latents,

    /// <summary>A weight (kernel) solve (SW).</summary>
    Weights,
}

/// <summary>The metrics after one step of training.</summary>
/// <param name="Layer">Layer number, 1-based, 1 nearest the latent code.</param>
/// <param name="Epoch">Epoch, 1-based; 0 for <see cref="ConvTrainingStep.Init"/>; the closing latent solve counts in the last epoch.</param>
/// <param name="Step">Which solve.</param>
/// <param name="LayerMse">Mean squared error of the layer's output against its targets (the data, or the latents of the layer above).</param>
/// <param name="NetworkMse">Mean squared error of the decoded data (this layer and every trained layer above) against the data.</param>
/// <param name="SolveSeconds">Wall time of the solve.</param>
/// <param name="Preview">The first <see cref="ConvTrainingOptions.PreviewImages"/> decoded images (row-major, CHW), or empty.</param>
public sealed record ConvTrainingRecord(int Layer, int Epoch, ConvTrainingStep Step, double LayerMse, double NetworkMse, double SolveSeconds, float[] Preview);

/// <summary>A trained network, the latent codes of the training images, and what happened on the way.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Network">The decoder.</param>
/// <param name="Latents">N x latent length: the training images' codes (the first layer's solved inputs).</param>
/// <param name="History">One record per step, in order.</param>
public sealed record ConvTrainingResult<T>(ConvNetwork<T> Network, LinearAlgebra.Matrix<T> Latents, IReadOnlyList<ConvTrainingRecord> History)
    where T : unmanaged, IFloatingPointIeee754<T>;
