namespace StarNet.Inference;

/// <summary>How well a model reconstructs a set of datapoints through inference alone (encode, then decode).</summary>
/// <param name="Count">Datapoints evaluated.</param>
/// <param name="Mse">Mean over all values of the squared reconstruction error.</param>
/// <param name="Elastic">The paper's elastic loss: mean |e| + mean e^2.</param>
/// <param name="MeanLayerResidualNorms">Per layer (index 0 = layer 1), the mean residual norm of the latent solves.</param>
public sealed record ReconstructionMetrics(int Count, double Mse, double Elastic, IReadOnlyList<double> MeanLayerResidualNorms);
