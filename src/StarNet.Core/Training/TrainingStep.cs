namespace StarNet.Training;

/// <summary>The two half-steps of a StarNet epoch (the paper's SL and SW).</summary>
public enum TrainingStep
{
    /// <summary>Solve for the latents (the layer's inputs) with the weights held fixed (SL).</summary>
    Latents = 0,

    /// <summary>Solve for the weights and bias with the latents held fixed (SW).</summary>
    Weights = 1,
}
