using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.Model;

namespace StarNet.Training;

/// <summary>What <see cref="StarNetTrainer"/> returns: the model, the training set's latent codes and the measurements.</summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class TrainingResult<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal TrainingResult(StarNetModel<T> model, Matrix<T> latents, IReadOnlyList<double[]> layerResidualNorms)
    {
        Model = model;
        Latents = latents;
        LayerResidualNorms = layerResidualNorms;
    }

    /// <summary>The trained model, with its latent Gaussian, outlier calibration, options and history.</summary>
    public StarNetModel<T> Model { get; }

    /// <summary>The training set's latent codes <c>h*_0</c> (N x d_0, training-set order), as solved by the last step of layer 1, or by refinement when it ran.</summary>
    public Matrix<T> Latents { get; }

    /// <summary>Per layer (index 0 = layer 1), each training datapoint's residual norm after the layer's last layer-wise step (before any refinement).</summary>
    public IReadOnlyList<double[]> LayerResidualNorms { get; }

    /// <summary>The measurements (also in <see cref="StarNetModel{T}.History"/>).</summary>
    public TrainingHistory History => Model.History!;
}
