using System.Globalization;
using StarNet.Cli.Progress;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Commands;

/// <summary>
/// <c>starnet train</c>: trains a feedforward StarNet decoder on a dataset layer by layer, without gradients, and
/// writes the model, the metrics and (with <c>--report</c>) a report folder with pictures.
/// </summary>
internal sealed class TrainCommand : Command
{
    /// <summary>The default epochs per layer: the paper reports the plateau within 5 (section 6).</summary>
    public const int DefaultEpochs = 5;

    /// <summary>Training images followed step by step in the report's progress picture.</summary>
    public const int ProgressImages = 8;

    public override string Name => "train";

    public override string Summary => "train a feedforward StarNet decoder layer by layer (no gradients) and write the model, metrics and a report";

    public override string Arguments => "--data PATH [--arch ff:W1,W2,...] [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("data", "PATH", "dataset folder or file: IDX (MNIST, Fashion-MNIST), CIFAR-10, SVHN .mat or .npy (required)"),
        new("arch", "ff:W1,W2,...", "decoder widths from the latent code up; the data width is added", "ff:128,256"),
        new("activation", "NAME", "leaky-relu[:SLOPE], tanh, sigmoid or identity", "leaky-relu:0.5"),
        new("epochs", "N", "most epochs per layer (one epoch = a latent solve and a weight solve)", DefaultEpochs.ToString(CultureInfo.InvariantCulture)),
        new("plateau", "TOL", "stop a layer early when an epoch lowers its MSE by less than this fraction; 0 runs every epoch", "0"),
        new("solver", "NAME", "least-squares solver: qr, normal (normal equations) or semi-normal", "qr"),
        new("first-step", "STEP", "what each epoch solves first: latents (paper Fig. 4) or weights (Fig. 7)", "latents"),
        new("subset", "N", "solve the weights on N random datapoints per epoch (paper section 6)", "all"),
        new("ridge", "X", "ridge added to the weight solves", "0"),
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
    ];

    public override string Details =>
        """
        Layers are numbered from the latent code (layer 1) to the data (layer K), as in the paper, and trained from K
        down to 1. The widths must grow (each layer's input no wider than its output, Theorem 1), and there must be
        more training images than the width of any layer's input (Theorem 2).
        """;

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        // Everything on the command line is checked before any data is read.
        string dataPath = args.Required("data", "PATH");
        int[] hidden = TrainingChoices.ParseArchitecture(args.String("arch") ?? "ff:128,256");
        Activation activation = args.String("activation") is { } a ? TrainingChoices.ParseActivation(a) : Activation.LeakyRelu();
        var options = new TrainingOptions
        {
            EpochsPerLayer = args.Int("epochs", 1, 10_000) ?? DefaultEpochs,
            PlateauTolerance = args.Double("plateau", 0, 1) ?? 0,
            Solver = args.Choice("solver", TrainingChoices.Solvers) ?? SolverMethod.Qr,
            FirstStep = args.Choice("first-step", TrainingChoices.Steps) ?? TrainingStep.Latents,
            WeightSubsetSize = args.Int("subset", 1),
            Ridge = args.Double("ridge", 0) ?? 0,
            Seed = args.UInt64("seed") ?? 0,
            DegreeOfParallelism = args.Int("threads", 1, 1024),
        };
        int? samples = args.Int("samples", 1);
        string? reportDir = args.String("report");
        string? outPath = args.String("out") ?? (reportDir is null ? null : Path.Combine(reportDir, "model.safetensors"));
        string? metricsPath = args.String("metrics") ?? (reportDir is null ? null : Path.Combine(reportDir, "metrics.json"));

        Dataset data = DatasetLoader.Load(dataPath, new DatasetLoadOptions { MaxSamples = samples }, context.CancellationToken);
        var architecture = new DecoderArchitecture([.. hidden, data.Shape.Size], activation);
        context.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{data.Name}: {data.Train.Count} train, {data.Test?.Count ?? 0} test images of {data.Shape}; decoder {string.Join(" -> ", architecture.Widths)}, {activation}"));
        foreach (string warning in architecture.Check(data.Train.Count, options.WeightSubsetSize).Warnings)
        {
            context.Warn(warning);
        }

        // The report follows a few training images step by step (Figure 4): the trainer attaches their reconstructions to its reports.
        int[] followed = reportDir is null ? [] : [.. Enumerable.Range(0, Math.Min(ProgressImages, data.Train.Count))];
        options = options with { SnapshotRows = followed.Length > 0 ? followed : null };
        var train = new ReadOnlyMatrixSpan<float>(data.Train.Pixels, data.Train.Count, data.Train.Dimension);
        TrainingResult<float> result;
        ProgressSnapshots snapshots;
        using (var display = new TrainingProgressDisplay(context.Out, context.IsTerminal, options.EpochsPerLayer))
        {
            snapshots = new ProgressSnapshots(display, data.Train, followed);
            result = data.Test is { Count: > 0 } test
                ? StarNetTrainer.Train(train, new ReadOnlyMatrixSpan<float>(test.Pixels, test.Count, test.Dimension), architecture, options, snapshots, context.CancellationToken)
                : StarNetTrainer.Train(train, architecture, options, snapshots, context.CancellationToken);
        }

        TrainingHistory history = result.History;
        PrintSummary(context.Out, history);
        var written = new List<(string What, string Path)>();
        if (outPath is not null)
        {
            ModelStore.Save(OutputPath.Prepare(outPath), result.Model, new ModelInfo(data.Name, data.Shape));
            written.Add(("model", outPath));
        }

        if (metricsPath is not null)
        {
            MetricsFile.Write(OutputPath.Prepare(metricsPath), history);
            written.Add(("metrics", metricsPath));
        }

        if (reportDir is not null)
        {
            TrainingReportContent content = ReportBuilder.Build(data, architecture, options, result, snapshots.Rows) with
            {
                OtherFiles = [.. written.Select(w => (w.What, Relative(reportDir, w.Path)))],
                CommandLine = "starnet train " + string.Join(' ', args.Original.Select(Quote)),
            };
            IReadOnlyList<string> files = TrainingReport.Write(reportDir, content);
            written.Add(("report", files[0]));
        }

        foreach ((string what, string path) in written)
        {
            context.Out.WriteLine($"wrote {what}: {path}");
        }

        if (outPath is null)
        {
            context.Warn("the model was not saved (give --out FILE or --report DIR)");
        }

        return ExitCodes.Success;
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
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training reconstruction MSE {last.NetworkMse:G6}, elastic {last.NetworkElastic:G6}; {h.TotalSeconds:0.00} s in all"));
        if (h.TestReconstructionMse is double test)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test reconstruction MSE (inference only) {test:G6}"));
        }
    }

    private static string Relative(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? arg : $"'{arg}'";
}
