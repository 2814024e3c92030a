using System.Collections.ObjectModel;

namespace StarNet.Training;

/// <summary>Everything training measured, as data: one record per half-step, one summary per layer, and test metrics when a test set was given.</summary>
public sealed class TrainingHistory
{
    /// <summary>Creates a history.</summary>
    /// <param name="steps">Per half-step measurements, in the order they were taken.</param>
    /// <param name="layers">Per layer summaries, in the order the layers were trained (top layer first).</param>
    /// <param name="totalSeconds">Wall time of the whole training call.</param>
    /// <param name="warnings">Warnings of the architecture check.</param>
    /// <param name="testReconstructionMse">MSE of the test set reconstructed through inference alone, or null.</param>
    /// <param name="testReconstructionElastic">Elastic loss of the same, or null.</param>
    /// <param name="procedure">The procedure's name (<see cref="TrainingOptions.ProcedureName"/>), or null when unknown.</param>
    /// <param name="refinement">The sweeps of whole-network refinement, if any.</param>
    public TrainingHistory(
        IEnumerable<TrainingStepMetrics> steps,
        IEnumerable<LayerTrainingSummary> layers,
        double totalSeconds,
        IEnumerable<string>? warnings = null,
        double? testReconstructionMse = null,
        double? testReconstructionElastic = null,
        string? procedure = null,
        IEnumerable<RefinementSweep>? refinement = null)
    {
        Procedure = procedure;
        Refinement = new ReadOnlyCollection<RefinementSweep>([.. refinement ?? []]);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(layers);
        Steps = new ReadOnlyCollection<TrainingStepMetrics>([.. steps]);
        Layers = new ReadOnlyCollection<LayerTrainingSummary>([.. layers]);
        TotalSeconds = totalSeconds;
        Warnings = new ReadOnlyCollection<string>([.. warnings ?? []]);
        TestReconstructionMse = testReconstructionMse;
        TestReconstructionElastic = testReconstructionElastic;
    }

    /// <summary>One record per half-step.</summary>
    public IReadOnlyList<TrainingStepMetrics> Steps { get; }

    /// <summary>One summary per layer, top layer first.</summary>
    public IReadOnlyList<LayerTrainingSummary> Layers { get; }

    /// <summary>Wall time of the training call in seconds.</summary>
    public double TotalSeconds { get; }

    /// <summary>Warnings of the architecture check (Lemma 5, exactly determined weight solves).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>MSE of the test set reconstructed by inference alone (encode, then decode), when a test set was given.</summary>
    public double? TestReconstructionMse { get; }

    /// <summary>Elastic loss (mean |e| + mean e^2) of the same reconstruction.</summary>
    public double? TestReconstructionElastic { get; }

    /// <summary>The procedure that was used (<see cref="TrainingOptions.ProcedureName"/>: <c>paper_literal</c>, or the gauge and refinement), or null when not recorded.</summary>
    public string? Procedure { get; }

    /// <summary>One record per sweep of whole-network refinement (empty without refinement).</summary>
    public IReadOnlyList<RefinementSweep> Refinement { get; }

    /// <summary>The network's final training reconstruction MSE: after the last refinement sweep, else after the last layer-wise step (NaN if it was not measured).</summary>
    public double FinalNetworkMse => Refinement.Count > 0 ? Refinement[^1].NetworkMse : Steps.Count > 0 ? Steps[^1].NetworkMse : double.NaN;

    /// <summary>A copy with test-set metrics set.</summary>
    /// <param name="mse">Test reconstruction MSE.</param>
    /// <param name="elastic">Test reconstruction elastic loss.</param>
    public TrainingHistory WithTestMetrics(double mse, double elastic) => new(Steps, Layers, TotalSeconds, Warnings, mse, elastic, Procedure, Refinement);

    /// <summary>
    /// The history as compact JSON with snake_case keys: <c>steps</c> (each with <c>layer</c>, <c>epoch</c>,
    /// <c>step</c> = "latents" | "weights", <c>layer_mse</c>, <c>layer_elastic</c>, <c>network_mse</c>,
    /// <c>elastic</c> (the network's), <c>seconds</c>, <c>solve_seconds</c>, <c>flops</c>, <c>residual_norm_mean</c>,
    /// <c>residual_norm_max</c>, <c>solve_datapoints</c>, <c>condition</c>), <c>layers</c>, <c>total_seconds</c>, <c>warnings</c>,
    /// <c>procedure</c> (when recorded), <c>refinement</c> (one record per sweep: <c>sweep</c>, <c>network_mse_before</c>,
    /// <c>network_mse</c>, <c>datapoints_improved</c>, <c>datapoints_worsened</c>, <c>weights_accepted</c>, <c>seconds</c>),
    /// <c>final_network_mse</c> and, when known, <c>test_reconstruction_mse</c> and <c>test_reconstruction_elastic</c>. NaN is written as null.
    /// </summary>
    public string ToJson() => TrainingJson.Write(this);

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="FormatException">The text is not such a history.</exception>
    public static TrainingHistory FromJson(string json) => TrainingJson.ReadHistory(json);
}
