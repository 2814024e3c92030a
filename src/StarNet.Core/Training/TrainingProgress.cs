namespace StarNet.Training;

/// <summary>What training reports through <see cref="IProgress{T}"/> after every half-step.</summary>
/// <param name="Metrics">The step's measurements.</param>
/// <param name="ResidualNorms">Per datapoint (in training-set order), the layer's least-squares residual norm <c>||W h + b - t||</c> after the step; a fresh array the receiver may keep.</param>
/// <param name="LayerCount">How many layers the decoder has (layers are trained from this one down to 1).</param>
public sealed record TrainingProgress(TrainingStepMetrics Metrics, double[] ResidualNorms, int LayerCount);
