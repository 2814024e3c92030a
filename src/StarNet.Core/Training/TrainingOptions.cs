namespace StarNet.Training;

/// <summary>
/// Options of layer-wise StarNet training. The defaults are the paper's setup (section 4.2 and 6) plus gauge fixing
/// between layers and whole-network refinement (issue #8), with which a deep decoder beats the linear baseline;
/// <see cref="PaperLiteral"/> is the paper's procedure.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The most epochs per layer (one epoch = one latent solve and one weight solve); default 5, within which the paper reports the plateau.</summary>
    public int EpochsPerLayer { get; init; } = 5;

    /// <summary>
    /// A layer stops early when an epoch lowers its MSE by less than this fraction of the previous epoch's MSE
    /// (a plateau); default 0.02. On MNIST and Fashion-MNIST each epoch's improvement is about a third of the one
    /// before (50%, 9%, 3%, 1.2%, 0.6%, ...), so the fifth epoch is the first below 2% and all later epochs together
    /// gain less than 2% more: the flat part of the paper's Fig. 6, reached within 5 epochs as the paper reports
    /// (docs/results.md). Zero runs every epoch unless the loss stops falling at all.
    /// </summary>
    public double PlateauTolerance { get; init; } = 0.02;

    /// <summary>Which half-step each epoch starts with; default latents first (Fig. 4), weights first is Fig. 7.</summary>
    public TrainingStep FirstStep { get; init; } = TrainingStep.Latents;

    /// <summary>
    /// How the weight solves are done; default the normal equations (GEMM-shaped: see docs/model.md, "Solver choice").
    /// Latent solves always use Householder QR of the small weight matrix.
    /// </summary>
    public SolverMethod Solver { get; init; } = SolverMethod.NormalEquations;

    /// <summary>Ridge added to the weight solves, minimising <c>||[H 1] W^T - T||^2 + ridge ||[W b]||^2</c>; default 0.</summary>
    public double Ridge { get; init; }

    /// <summary>Ridge added to the latent solves, minimising <c>||W h + b - t||^2 + ridge ||h||^2</c> per datapoint; default 0.</summary>
    public double LatentRidge { get; init; }

    /// <summary>When set, each epoch's weight solve uses a fresh random subset of this many datapoints (paper section 6); latent solves always use all datapoints. Null (default) uses all.</summary>
    public int? WeightSubsetSize { get; init; }

    /// <summary>
    /// Images per weight solve of a conv-unpool layer, drawn afresh each epoch (paper section 6, Figure 8); default 500.
    /// Null uses every image. Dense layers use <see cref="WeightSubsetSize"/>.
    /// </summary>
    public int? ConvolutionWeightSubsetSize { get; init; } = 500;

    /// <summary>
    /// How many subsets each conv-unpool weight solve averages (paper Lemma 8, option 2); default 1. The subsets are
    /// disjoint when the images suffice (count x size at most N), otherwise drawn independently.
    /// </summary>
    public int WeightSubsetCount { get; init; } = 1;

    /// <summary>How weights are initialised; default orthogonal.</summary>
    public WeightInitialization WeightInitialization { get; init; } = WeightInitialization.Orthogonal;

    /// <summary>Standard deviation of the random initial latents (used when an epoch starts with the weight solve); default 1.</summary>
    public double LatentInitializationScale { get; init; } = 1.0;

    /// <summary>
    /// After the last epoch of a layer, solve the latents once more against the final weights, so the latents
    /// handed down (and the encoder's result on training data) match the final weights; default true.
    /// Skipped when the last step already was a latent solve.
    /// </summary>
    public bool CloseWithLatentSolve { get; init; } = true;

    /// <summary>Seed of every random choice (initial weights and latents, weight-solve subsets); default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads for the linear algebra and the row-wise passes; null (default) uses <c>LinearAlgebraSettings.DegreeOfParallelism</c>.</summary>
    public int? DegreeOfParallelism { get; init; }

    /// <summary>
    /// Whether every step also decodes the current latents through the layers above to report the whole
    /// network's MSE and elastic loss; default true. Turning it off saves a forward pass per step on lower
    /// layers (the network metrics of such steps are then NaN).
    /// </summary>
    public bool ReportNetworkMetrics { get; init; } = true;

    /// <summary>
    /// How the latents each layer hands down are re-coordinatised before the layer below fits them (issue #8; the layer
    /// absorbs the inverse map, so its output is unchanged). Default <see cref="GaugeFixing.PrincipalAxesInRange"/>;
    /// <see cref="GaugeFixing.None"/> is the paper's procedure. Applies where the layer handing down is dense.
    /// </summary>
    public GaugeFixing Gauge { get; init; } = GaugeFixing.PrincipalAxesInRange;

    /// <summary>
    /// The most sweeps of whole-network refinement after layer-wise training (each layer's weights re-solved on its
    /// inputs propagated up from the codes, kept only if the network MSE with the codes re-solved by the encoder does
    /// not rise; see docs/model.md); default 5. Zero turns refinement off (the paper's procedure). Decoders with
    /// conv-unpool layers are not refined.
    /// </summary>
    public int RefinementSweeps { get; init; } = 5;

    /// <summary>Refinement stops when a sweep lowers the network MSE by less than this fraction of its value; default 0.005.</summary>
    public double RefinementTolerance { get; init; } = 0.005;

    /// <summary>The paper's procedure: no gauge fixing and no refinement (every other option at its default).</summary>
    public static TrainingOptions PaperLiteral => new() { Gauge = GaugeFixing.None, RefinementSweeps = 0 };

    /// <summary>
    /// The procedure's name as the metrics JSON records it: <c>paper_literal</c> without gauge fixing and refinement,
    /// otherwise <c>gauge=NAME</c> and/or <c>refinement</c> joined by a comma (e.g. <c>gauge=principal_axes_in_range,refinement</c>).
    /// </summary>
    public string ProcedureName => Procedure(RefinementSweeps > 0);

    /// <summary>The procedure's name when refinement does (or does not) run.</summary>
    internal string Procedure(bool refinement) =>
        Gauge == GaugeFixing.None && !refinement ? "paper_literal"
        : Gauge == GaugeFixing.None ? "refinement"
        : refinement ? $"gauge={GaugeName(Gauge)},refinement"
        : $"gauge={GaugeName(Gauge)}";

    /// <summary>The snake_case name of a gauge in files and reports: <c>none</c>, <c>whiten</c>, <c>principal_axes</c>, <c>activation_range</c>, <c>principal_axes_in_range</c>.</summary>
    /// <param name="gauge">The gauge.</param>
    public static string GaugeName(GaugeFixing gauge) => gauge switch
    {
        GaugeFixing.None => "none",
        GaugeFixing.Whiten => "whiten",
        GaugeFixing.PrincipalAxes => "principal_axes",
        GaugeFixing.ActivationRange => "activation_range",
        GaugeFixing.PrincipalAxesInRange => "principal_axes_in_range",
        _ => throw new ArgumentOutOfRangeException(nameof(gauge), gauge, "Not a defined gauge."),
    };

    /// <summary>
    /// Training rows (indices into the data) to follow step by step, for pictures of the learning progress like the
    /// paper's Fig. 4; null (the default) follows none. When set, every <see cref="TrainingProgress"/> carries
    /// <see cref="TrainingProgress.Snapshot"/> and the first report of each layer also
    /// <see cref="TrainingProgress.InitialSnapshot"/>. Costs one forward pass of these rows per step; changes no
    /// result. Not stored in model files or in the options' JSON.
    /// </summary>
    public IReadOnlyList<int>? SnapshotRows { get; init; }

    /// <summary>Checks every option's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        Require(EpochsPerLayer >= 1, nameof(EpochsPerLayer), EpochsPerLayer, "must be at least 1");
        Require(PlateauTolerance >= 0 && double.IsFinite(PlateauTolerance), nameof(PlateauTolerance), PlateauTolerance, "must be finite and non-negative");
        Require(Enum.IsDefined(FirstStep), nameof(FirstStep), FirstStep, "is not a defined step");
        Require(Enum.IsDefined(Solver), nameof(Solver), Solver, "is not a defined solver");
        Require(Ridge >= 0 && double.IsFinite(Ridge), nameof(Ridge), Ridge, "must be finite and non-negative");
        Require(LatentRidge >= 0 && double.IsFinite(LatentRidge), nameof(LatentRidge), LatentRidge, "must be finite and non-negative");
        Require(WeightSubsetSize is null or >= 1, nameof(WeightSubsetSize), WeightSubsetSize, "must be at least 1 when set");
        Require(ConvolutionWeightSubsetSize is null or >= 1, nameof(ConvolutionWeightSubsetSize), ConvolutionWeightSubsetSize, "must be at least 1 when set");
        Require(WeightSubsetCount >= 1, nameof(WeightSubsetCount), WeightSubsetCount, "must be at least 1");
        Require(Enum.IsDefined(WeightInitialization), nameof(WeightInitialization), WeightInitialization, "is not a defined initialisation");
        Require(LatentInitializationScale > 0 && double.IsFinite(LatentInitializationScale), nameof(LatentInitializationScale), LatentInitializationScale, "must be finite and positive");
        Require(Enum.IsDefined(Gauge), nameof(Gauge), Gauge, "is not a defined gauge");
        Require(RefinementSweeps >= 0, nameof(RefinementSweeps), RefinementSweeps, "must be non-negative");
        Require(RefinementTolerance >= 0 && double.IsFinite(RefinementTolerance), nameof(RefinementTolerance), RefinementTolerance, "must be finite and non-negative");
        Require(DegreeOfParallelism is null or >= 1, nameof(DegreeOfParallelism), DegreeOfParallelism, "must be at least 1 when set");
    }

    private static void Require(bool condition, string name, object? value, string what)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Training option {name} = {value} {what}.");
        }
    }
}
