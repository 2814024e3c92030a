using System.Globalization;
using StarNet.Cli.Progress;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Commands;

/// <summary>
/// <c>starnet train</c>: trains a StarNet decoder (feedforward, convolutional or mixed) on a dataset layer by layer, without gradients, and
/// writes the model, the metrics and (with <c>--report</c>) a report folder with pictures.
/// </summary>
internal sealed class TrainCommand : Command
{
    /// <summary>The default epochs per layer: the paper reports the plateau within 5 (section 6).</summary>
    public const int DefaultEpochs = 5;

    /// <summary>The default plateau tolerance: the library's (<see cref="TrainingOptions.PlateauTolerance"/>), so that the CLI and the API train alike.</summary>
    public static readonly double DefaultPlateau = new TrainingOptions().PlateauTolerance;

    /// <summary>The default weight-solve method: the library's (<see cref="TrainingOptions.Solver"/>), so that the CLI and the API train alike.</summary>
    public static readonly SolverMethod DefaultSolver = new TrainingOptions().Solver;

    /// <summary>Training images followed step by step in the report's progress picture.</summary>
    public const int ProgressImages = 8;

    public override string Name => "train";

    public override string Summary => "train a StarNet decoder (feedforward, conv-unpool or mixed) layer by layer (no gradients) and write the model, metrics and a report";

    public override string Arguments => "--data PATH [--arch ff:W1,W2,...|conv:PRESET|conv:C/kK/uU,...] [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("data", "PATH", "dataset folder or file: IDX (MNIST, Fashion-MNIST), CIFAR-10, SVHN .mat or .npy (required)"),
        new("arch", "SPEC", "ff:W1,W2,... (dense widths from the latent code up; the data width is added), conv:PRESET (mnist, fashion-mnist, cifar10, svhn, mnist-single, cifar10-single), conv:C/kK/uU/full|same,... (conv-unpool layers), or ff:...+conv:...", "ff:128,256"),
        new("activation", "NAME", "leaky-relu[:SLOPE], tanh, sigmoid or identity", "leaky-relu:0.5"),
        new("epochs", "N", "most epochs per layer (one epoch = a latent solve and a weight solve)", DefaultEpochs.ToString(CultureInfo.InvariantCulture)),
        new("plateau", "TOL", "stop a layer early when an epoch lowers its MSE by less than this fraction; 0 runs every epoch", DefaultPlateau.ToString(CultureInfo.InvariantCulture)),
        new("solver", "NAME", "least-squares solver: qr, normal (normal equations) or semi-normal; under mpirun normal is the distributed normal equations, the others TSQR", TrainingChoices.Name(DefaultSolver)),
        new("first-step", "STEP", "what each epoch solves first: latents (paper Fig. 4) or weights (Fig. 7)", "latents"),
        new("subset", "N", "solve the weights on N random datapoints per epoch (paper section 6)", "all"),
        new("conv-subset", "N", "images per conv-unpool weight solve, fresh each epoch (paper Fig. 8), or all", "500"),
        new("subset-count", "N", "average the conv weight solves of N disjoint subsets (paper Lemma 8)", "1"),
        new("ridge", "X", "ridge added to the weight solves", "0"),
        new("gauge", "NAME", "re-coordinatise the latents handed down between layers: none (the paper), whiten, principal, range or principal-range", "principal-range"),
        new("refine", "N", "most sweeps of whole-network refinement after layer-wise training (each layer's weights re-solved on its propagated inputs, kept if the MSE with re-encoded codes does not rise); 0 for none", "5"),
        new("refine-tol", "TOL", "stop refining when a sweep lowers the network MSE by less than this fraction", "0.005"),
        new("paper", null, "the paper's procedure: no gauge fixing and no refinement (same as --gauge none --refine 0)"),
        new("baseline", null, "also fit the linear baseline (the PCA fit with the same code size) and report its train and test MSE"),
        new("samples", "N", "use only the first N images of each split", "all"),
        new("seed", "N", "seed of every random choice", "0"),
        new("threads", "N", "threads for the linear algebra", "all cores"),
        new("out", "FILE", "write the model (safetensors)", "REPORT/model.safetensors with --report, else none"),
        new("metrics", "FILE", "write the metrics of every step as JSON", "REPORT/metrics.json with --report, else none"),
        new("report", "DIR", "write a report folder: report.md and pictures"),
    ];

    public override IReadOnlyList<string> Examples { get; } =
    [
        "train --data data/sample/mnist --arch ff:128,256 --report report",
        "train --data ../shared/data/fashion-mnist --arch ff:128,256 --samples 10000 --epochs 3 --out fashion.safetensors --metrics fashion.json",
        "train --data ../shared/data/cifar10 --arch ff:128,256 --samples 5000 --subset 2000 --threads 2 --report cifar-report",
        "train --data ../shared/data/mnist --arch conv:mnist --report conv-report",
        "train --data ../shared/data/cifar10 --arch conv:10/k7/u2/same,4/k7/u2/full --subset-count 4 --out cifar-conv.safetensors",
    ];

    public override string Details =>
        """
        Layers are numbered from the latent code (layer 1) to the data (layer K), as in the paper, and trained from K
        down to 1. The widths must grow (each layer's input no wider than its output, Theorem 1), and there must be
        more training images than the width of any layer's input (Theorem 2). A conv-unpool layer (paper section 3.2,
        docs/convolution.md) needs at least as many output values as input map values (Theorem 3) and, per weight
        solve, at least as many images x positions as taps plus one (Theorem 4).

        Under mpirun (mpirun -np N starnet train ...) each process loads and trains on its own shard of the images;
        latent solves stay local and each weight solve exchanges a few small matrices whose size does not depend on
        the number of images. Rank 0 alone prints and writes the outputs. See docs/distributed.md.
        """;

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        // Everything on the command line is checked before any data is read.
        string dataPath = args.Required("data", "PATH");
        ArchitectureSpec spec = TrainingChoices.ParseArchitecture(args.String("arch") ?? "ff:128,256");
        string? convSubset = args.String("conv-subset");
        int? convImages = convSubset is null or "all" ? null : args.Int("conv-subset", 1);
        Activation activation = args.String("activation") is { } a ? TrainingChoices.ParseActivation(a) : Activation.LeakyRelu();
        var options = new TrainingOptions
        {
            EpochsPerLayer = args.Int("epochs", 1, 10_000) ?? DefaultEpochs,
            PlateauTolerance = args.Double("plateau", 0, 1) ?? DefaultPlateau,
            Solver = args.Choice("solver", TrainingChoices.Solvers) ?? DefaultSolver,
            FirstStep = args.Choice("first-step", TrainingChoices.Steps) ?? TrainingStep.Latents,
            WeightSubsetSize = args.Int("subset", 1),
            ConvolutionWeightSubsetSize = convSubset is null ? 500 : convImages,
            WeightSubsetCount = args.Int("subset-count", 1, 10_000) ?? 1,
            Ridge = args.Double("ridge", 0) ?? 0,
            Seed = args.UInt64("seed") ?? 0,
            DegreeOfParallelism = args.Int("threads", 1, 1024),
        };
        bool paper = args.Flag("paper");
        if (paper && (args.Has("gauge") || args.Has("refine") || args.Has("refine-tol")))
        {
            throw new UsageException("option --paper is the paper's procedure (no gauge fixing, no refinement); it cannot be combined with --gauge, --refine or --refine-tol");
        }

        var defaults = new TrainingOptions();
        options = options with
        {
            Gauge = paper ? GaugeFixing.None : args.Choice("gauge", TrainingChoices.Gauges) ?? defaults.Gauge,
            RefinementSweeps = paper ? 0 : args.Int("refine", 0, 10_000) ?? defaults.RefinementSweeps,
            RefinementTolerance = args.Double("refine-tol", 0, 1) ?? defaults.RefinementTolerance,
        };
        bool baseline = args.Flag("baseline");
        int? samples = args.Int("samples", 1);

        // Under mpirun every rank loads and trains on its shard of the images (docs/distributed.md); rank 0 alone
        // prints and writes the model, metrics and report.
        ICommunicator job = context.Communicator;
        if (baseline && job.Size > 1)
        {
            throw new UsageException("option --baseline runs on one process; run it without mpirun");
        }

        bool writer = job.Rank == 0;
        TextWriter output = writer ? context.Out : TextWriter.Null;
        string? reportDir = writer ? args.String("report") : null;
        string? outPath = !writer ? null : args.String("out") ?? (reportDir is null ? null : Path.Combine(reportDir, "model.safetensors"));
        string? metricsPath = !writer ? null : args.String("metrics") ?? (reportDir is null ? null : Path.Combine(reportDir, "metrics.json"));

        var loadOptions = new DatasetLoadOptions { MaxSamples = samples, Shard = job.Size > 1 ? new DatasetShard(job.Rank, job.Size) : null };
        Dataset data = job.Size == 1
            ? DatasetLoader.Load(dataPath, loadOptions, context.CancellationToken)
            : LoadShard(dataPath, loadOptions, job, context.CancellationToken);
        Span<double> counts = [data.Train.Count, data.Test?.Count ?? 0];
        if (job.Size > 1)
        {
            job.AllReduceSum(counts);
        }

        (int trainCount, int testCount) = ((int)counts[0], (int)counts[1]);
        DecoderArchitecture architecture = spec.Resolve(data.Shape, activation);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Name}: {trainCount} train, {testCount} test images of {data.Shape}; decoder {(architecture.HasConvolutions ? architecture.ToString() : $"{string.Join(" -> ", architecture.Widths)}, {activation}")}"));
        if (job.Size > 1)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"distributed: {job.Description}; weight solve by {(options.Solver == SolverMethod.NormalEquations ? "distributed normal equations" : "TSQR")}; rank 0 holds {data.Train.Count} train images"));
        }

        foreach (string warning in writer ? architecture.Check(trainCount, options.WeightSubsetSize, options.ConvolutionWeightSubsetSize).Warnings : [])
        {
            context.Warn(warning);
        }

        // The report follows a few training images step by step (Figure 4): the trainer attaches their reconstructions to its reports.
        int[] followed = reportDir is null ? [] : [.. Enumerable.Range(0, Math.Min(ProgressImages, data.Train.Count))];
        options = options with { SnapshotRows = followed.Length > 0 ? followed : null };
        var train = new ReadOnlyMatrixSpan<float>(data.Train.Pixels, data.Train.Count, data.Train.Dimension);
        ReadOnlyMatrixSpan<float> testView = data.Test is { } test ? new ReadOnlyMatrixSpan<float>(test.Pixels, test.Count, test.Dimension) : default;
        TrainingResult<float> result;
        ProgressSnapshots snapshots;
        using (var display = new TrainingProgressDisplay(output, context.IsTerminal && writer, options.EpochsPerLayer))
        {
            snapshots = new ProgressSnapshots(display, data.Train, followed);
            result = StarNetTrainer.Train(train, testView, testCount > 0, architecture, options, job, snapshots, context.CancellationToken);
        }

        TrainingHistory history = result.History;
        PrintSummary(output, history);
        LinearBaselineResult<float>? linear = null;
        if (baseline)
        {
            linear = LinearBaseline.Train(train, testView, architecture.LatentDimension, options.DegreeOfParallelism, options.Seed, context.CancellationToken);
            PrintBaseline(output, history, linear);
        }
        var written = new List<(string What, string Path)>();
        if (job.Size > 1)
        {
            // Rank 0 writes; the others wait to learn whether that worked, so that every rank reports a failure.
            RankFailures.Run(job, () => WriteOutputs(output, args, data, architecture, options, result, null, snapshots, outPath, metricsPath, reportDir, written));
        }
        else
        {
            WriteOutputs(output, args, data, architecture, options, result, linear, snapshots, outPath, metricsPath, reportDir, written);
        }

        foreach ((string what, string path) in written)
        {
            output.WriteLine($"wrote {what}: {path}");
        }

        if (writer && outPath is null)
        {
            context.Warn("the model was not saved (give --out FILE or --report DIR)");
        }

        return ExitCodes.Success;
    }

    /// <summary>Loads this rank's shard; the ranks agree on failures, so a missing or bad file stops every rank with the error.</summary>
    private static Dataset LoadShard(string path, DatasetLoadOptions options, ICommunicator job, CancellationToken cancellationToken)
    {
        Dataset? data = null;
        RankFailures.Run(job, () => data = DatasetLoader.Load(path, options, cancellationToken));
        return data!;
    }

    private static void WriteOutputs(
        TextWriter output,
        ParsedArguments args,
        Dataset data,
        DecoderArchitecture architecture,
        TrainingOptions options,
        TrainingResult<float> result,
        LinearBaselineResult<float>? linear,
        ProgressSnapshots snapshots,
        string? outPath,
        string? metricsPath,
        string? reportDir,
        List<(string What, string Path)> written)
    {
        TrainingHistory history = result.History;
        if (outPath is not null)
        {
            ModelStore.Save(OutputPath.Prepare(outPath), result.Model, new ModelInfo(data.Name, data.Shape));
            written.Add(("model", outPath));
        }

        if (metricsPath is not null)
        {
            MetricsFile.Write(OutputPath.Prepare(metricsPath), history, linear);
            written.Add(("metrics", metricsPath));
        }

        if (reportDir is not null)
        {
            output.WriteLine($"drawing the report in {reportDir} ...");
            TrainingReportContent content = ReportBuilder.Build(data, architecture, options, result, snapshots.Rows) with
            {
                OtherFiles = [.. written.Select(w => (w.What, Relative(reportDir, w.Path)))],
                CommandLine = "starnet train " + string.Join(' ', args.Original.Select(Quote)),
            };
            IReadOnlyList<string> files = TrainingReport.Write(reportDir, content);
            written.Add(("report", files[0]));
        }
    }

    private static void PrintSummary(TextWriter o, TrainingHistory h)
    {
        foreach (LayerTrainingSummary layer in h.Layers)
        {
            o.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"layer {layer.Layer}: {layer.Epochs} epoch(s){(layer.PlateauReached ? " (plateau)" : string.Empty)}, layer MSE {layer.LayerMse:G6}, {layer.Seconds:0.00} s"));
        }

        TrainingStepMetrics last = h.Steps[^1];
        foreach (RefinementSweep r in h.Refinement)
        {
            o.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"refinement sweep {r.Sweep}: network MSE {r.NetworkMseBefore:G6} -> {r.NetworkMse:G6}, new weights kept for layer(s) {Kept(r.WeightsAccepted)}, {r.DatapointsImproved} images better and {r.DatapointsWorsened} worse, {r.Seconds:0.00} s"));
        }

        string procedure = h.Procedure is { } p ? $" ({p})" : string.Empty;
        o.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"training reconstruction MSE {h.FinalNetworkMse:G6}{(h.Refinement.Count > 0 ? string.Empty : Inv($", elastic {last.NetworkElastic:G6}"))}{procedure}; {h.TotalSeconds:0.00} s in all"));
        if (h.TestReconstructionMse is double test)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test reconstruction MSE (inference only) {test:G6}"));
        }
    }

    private static void PrintBaseline(TextWriter o, TrainingHistory h, LinearBaselineResult<float> b)
    {
        string test = b.TestMse is double t ? Inv($", test MSE {t:G6}") : string.Empty;
        o.WriteLine(Inv($"linear baseline (PCA, code size {b.CodeSize}): training MSE {b.TrainMse:G6}{test}; {b.Seconds:0.00} s"));
        if (h.TestReconstructionMse is double deep && b.TestMse is double linear)
        {
            o.WriteLine(Inv($"deep decoder against the linear baseline (test MSE): {deep / linear:0.000}x ({(deep <= linear ? "at or below" : "above")} the baseline)"));
        }
    }

    private static string Kept(IReadOnlyList<bool> accepted)
    {
        int[] layers = [.. accepted.Select((kept, i) => kept ? i + 1 : 0).Where(i => i > 0)];
        return layers.Length == 0 ? "none" : string.Join(',', layers);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Relative(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? arg : $"'{arg}'";
}
