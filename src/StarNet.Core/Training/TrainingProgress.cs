namespace StarNet.Training;

/// <summary>What training reports through <see cref="IProgress{T}"/> after every half-step.</summary>
/// <param name="Metrics">The step's measurements.</param>
/// <param name="ResidualNorms">Per datapoint (in training-set order), the layer's least-squares residual norm <c>||W h + b - t||</c> after the step; a fresh array the receiver may keep.</param>
/// <param name="LayerCount">How many layers the decoder has (layers are trained from this one down to 1).</param>
public sealed record TrainingProgress(TrainingStepMetrics Metrics, double[] ResidualNorms, int LayerCount)
{
    /// <summary>
    /// When <see cref="TrainingOptions.SnapshotRows"/> is set: the decoder's current output for those rows after this
    /// step (the layer's reconstruction <c>a(W h + b)</c> of its target, decoded through the trained layers above), row
    /// after row, each d_K values; otherwise null. A fresh array the receiver may keep.
    /// </summary>
    public double[]? Snapshot { get; init; }

    /// <summary>
    /// On the first report of each layer when <see cref="TrainingOptions.SnapshotRows"/> is set: the same output
    /// before the first step, from the untrained weights and untrained latents (the paper's "Init"): the initial
    /// random latents when training starts with the weights, otherwise Gaussian latents of scale
    /// <see cref="TrainingOptions.LatentInitializationScale"/> drawn from a separate random stream, so that
    /// following rows never changes training. Null on every other report.
    /// </summary>
    public double[]? InitialSnapshot { get; init; }
}
