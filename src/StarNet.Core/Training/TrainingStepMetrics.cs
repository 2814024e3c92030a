namespace StarNet.Training;

/// <summary>
/// What one half-step of training measured. Losses are computed on every datapoint after the step (see
/// docs/model.md for which side of the activation each sits on).
/// </summary>
/// <param name="Layer">The layer trained, 1 = nearest the latent code (as in the paper).</param>
/// <param name="Epoch">The epoch, from 1; a closing latent solve after the last epoch carries the last epoch's number.</param>
/// <param name="Step">Which half-step.</param>
/// <param name="LayerMse">Mean squared error of the layer's output <c>a(W h + b)</c> against its target output (the data for the top layer, the latents solved by the layer above otherwise).</param>
/// <param name="LayerElastic">The paper's elastic loss of the same error: mean |e| + mean e^2.</param>
/// <param name="NetworkMse">Mean squared error of the whole decoder's reconstruction of the data from the current latents, through this layer and the trained layers above; NaN when not reported.</param>
/// <param name="NetworkElastic">The elastic loss of that reconstruction (the paper's Fig. 6 quantity); NaN when not reported.</param>
/// <param name="Seconds">Wall time of the step: the solve plus the layer's residuals and losses (not the network pass).</param>
/// <param name="SolveSeconds">Wall time of the solve alone.</param>
/// <param name="Flops">Essential floating-point operations of the step's solve and layer residual (for GFLOP/s).</param>
/// <param name="ResidualNormMean">Mean over datapoints of the layer's least-squares residual norm <c>||W h + b - t||</c> (pre-activation).</param>
/// <param name="ResidualNormMax">Largest such residual norm.</param>
/// <param name="SolveDatapoints">Datapoints in the solve: all for a latent step, the subset size for a sampled weight step.</param>
/// <param name="ConditionEstimate">The engine's 1-norm condition estimate of the factored system matrix: W for a latent step, [H 1] for a weight step (through its Gram's Cholesky factor with the normal equations).</param>
public sealed record TrainingStepMetrics(
    int Layer,
    int Epoch,
    TrainingStep Step,
    double LayerMse,
    double LayerElastic,
    double NetworkMse,
    double NetworkElastic,
    double Seconds,
    double SolveSeconds,
    double Flops,
    double ResidualNormMean,
    double ResidualNormMax,
    int SolveDatapoints,
    double ConditionEstimate)
{
    /// <summary>The step's name as written in reports: <c>latents</c> or <c>weights</c>.</summary>
    public string StepName => Step == TrainingStep.Latents ? "latents" : "weights";

    /// <summary>Achieved rate of the step, <see cref="Flops"/> / <see cref="Seconds"/> / 1e9.</summary>
    public double GigaflopsPerSecond => Seconds > 0 ? Flops / Seconds / 1e9 : double.NaN;
}
