using System.Globalization;
using System.Text;
using StarNet.Cli.Commands;
using StarNet.Data;
using StarNet.IO;
using StarNet.Training;

namespace StarNet.Cli.Report;

/// <summary>
/// Writes the training report folder: <c>report.md</c>, a short summary whose numbers come from the same
/// <see cref="TrainingHistory"/> as metrics.json, and the pictures it shows (see docs/cli.md, "The report").
/// </summary>
internal static class TrainingReport
{
    /// <summary>The summary.</summary>
    public const string SummaryFile = "report.md";

    /// <summary>Figure 2: training targets and their reconstruction after each layer.</summary>
    public const string ReconstructionsFile = "reconstructions.png";

    /// <summary>The same for test images, through inference alone.</summary>
    public const string TestReconstructionsFile = "reconstructions-test.png";

    /// <summary>Figure 4: the top layer's reconstruction after each half-step.</summary>
    public const string ProgressFile = "progress.png";

    /// <summary>Images decoded from the latent Gaussian.</summary>
    public const string SamplesFile = "samples.png";

    /// <summary>Layer MSE per epoch, one line per layer.</summary>
    public const string LossFile = "loss.png";

    /// <summary>Histogram of the per-datapoint reconstruction error of the training set.</summary>
    public const string ErrorsFile = "errors.png";

    /// <summary>The same for the test set.</summary>
    public const string TestErrorsFile = "errors-test.png";

    /// <summary>Width and height of the charts in pixels.</summary>
    public const int ChartWidth = 800;

    /// <summary>Height of the charts in pixels.</summary>
    public const int ChartHeight = 500;

    /// <summary>Bins of the error histograms.</summary>
    public const int HistogramBins = 40;

    /// <summary>Samples per row of the samples grid.</summary>
    public const int SamplesPerRow = 10;

    /// <summary>Writes every file of the report into <paramref name="folder"/> (created when missing); each file atomically.</summary>
    /// <param name="folder">The report folder.</param>
    /// <param name="content">What to show.</param>
    /// <returns>The paths written, the summary first.</returns>
    public static IReadOnlyList<string> Write(string folder, TrainingReportContent content)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        string Place(string name)
        {
            string path = Path.Combine(folder, name);
            written.Add(path);
            return path;
        }

        Grid(content, content.TrainReconstructions).Save(Place(ReconstructionsFile));
        if (content.TestReconstructions is { Count: > 0 } test)
        {
            Grid(content, test).Save(Place(TestReconstructionsFile));
        }

        if (content.Progress.Count > 0)
        {
            Grid(content, content.Progress).Save(Place(ProgressFile));
        }

        if (content.Samples.Count > 0)
        {
            Grid(content, [.. content.Samples.Chunk(SamplesPerRow).Select(row => new ImageRow(string.Empty, row))]).Save(Place(SamplesFile));
        }

        LossPlot(content.History).Save(Place(LossFile), ChartWidth, ChartHeight);
        ErrorHistogram(content.TrainErrors, "training set").Save(Place(ErrorsFile), ChartWidth, ChartHeight);
        if (content.TestErrors is { } testErrors)
        {
            ErrorHistogram(testErrors, "test set").Save(Place(TestErrorsFile), ChartWidth, ChartHeight);
        }

        string summaryPath = Path.Combine(folder, SummaryFile);
        string markdown = Summary(content, written.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)!);
        AtomicFile.Write(summaryPath, stream => stream.Write(Encoding.UTF8.GetBytes(markdown)));
        written.Insert(0, summaryPath);
        return written;
    }

    /// <summary>Output pixels per image pixel: 28x28 and 32x32 images are drawn at twice their size.</summary>
    /// <param name="imageHeight">The image height.</param>
    /// <returns>The scale.</returns>
    public static int TileScale(int imageHeight) => Math.Clamp(64 / Math.Max(1, imageHeight), 1, 4);

    /// <summary>An empty grid for images of <paramref name="shape"/>, as every picture of the tool draws them (scaled by <see cref="TileScale"/>, 2-pixel gaps, labels at font scale 2).</summary>
    /// <param name="shape">The image shape.</param>
    /// <returns>The grid.</returns>
    public static ImageGrid NewGrid(ImageShape shape) =>
        new(shape.Channels, shape.Height, shape.Width) { Scale = TileScale(shape.Height), Gap = 2, TextScale = 2 };

    /// <summary>Per layer and epoch, the layer's MSE after the last half-step of that epoch (what <see cref="LossFile"/> plots).</summary>
    /// <param name="history">The measurements.</param>
    /// <returns>Per layer (top layer first), the (epoch, layer MSE) points.</returns>
    public static IReadOnlyList<(int Layer, IReadOnlyList<(int Epoch, double Mse)> Points)> LossPerEpoch(TrainingHistory history) =>
        [.. history.Steps
            .GroupBy(s => s.Layer)
            .Select(layer => (layer.Key, (IReadOnlyList<(int, double)>)[.. layer.GroupBy(s => s.Epoch).Select(e => (e.Key, e.Last().LayerMse))]))];

    private static ImageGrid Grid(TrainingReportContent content, IReadOnlyList<ImageRow> rows)
    {
        ImageGrid grid = NewGrid(content.Shape);
        foreach (ImageRow row in rows)
        {
            grid.AddRow(row.Label, row.Images);
        }

        return grid;
    }

    private static LinePlot LossPlot(TrainingHistory history)
    {
        var plot = new LinePlot { LogY = true, Title = "Layer MSE per epoch", XLabel = "epoch", YLabel = "layer MSE" };
        foreach ((int layer, IReadOnlyList<(int Epoch, double Mse)> points) in LossPerEpoch(history))
        {
            plot.AddSeries($"layer {layer}", points.Select(p => ((double)p.Epoch, p.Mse)));
        }

        return plot;
    }

    private static Histogram ErrorHistogram(double[] errors, string what) =>
        new(errors, HistogramBins) { Title = $"Per-image MSE, {what}", XLabel = "MSE of one image", Label = $"{errors.Length} images" };

    private static string Summary(TrainingReportContent c, IReadOnlySet<string> pictures)
    {
        TrainingHistory h = c.History;
        var md = new StringBuilder();
        md.AppendLine("# StarNet training report").AppendLine();
        if (c.CommandLine.Length > 0)
        {
            md.AppendLine("```").AppendLine(c.CommandLine).AppendLine("```").AppendLine();
        }

        md.AppendLine("| | |").AppendLine("| --- | --- |");
        md.AppendLine($"| dataset | {c.Dataset} |");
        md.AppendLine(Inv($"| images | {c.Shape} (channels x height x width); {c.TrainCount} train, {(c.TestCount is int t ? t.ToString(CultureInfo.InvariantCulture) : "no")} test |"));
        md.AppendLine($"| decoder | widths {string.Join(" -> ", c.Architecture.Widths)} (latent first), {c.Architecture.LayerCount} layers, activation {c.Architecture.Activation} |");
        if (c.Architecture.HasConvolutions)
        {
            md.AppendLine($"| conv-unpool layers | {c.Architecture.ConvolutionText} (layer:C/kK/uU/padding@output map) |");
        }
        md.AppendLine(Inv($"| training | at most {c.Options.EpochsPerLayer} epochs per layer, plateau tolerance {c.Options.PlateauTolerance:G6}, solver {TrainingChoices.Name(c.Options.Solver)}, first step {TrainingChoices.Name(c.Options.FirstStep)}, weight-solve subset {(c.Options.WeightSubsetSize is int s ? s.ToString(CultureInfo.InvariantCulture) : "all")}{(c.Architecture.HasConvolutions ? Inv($", conv weight-solve subset {(c.Options.ConvolutionWeightSubsetSize is int cs ? cs.ToString(CultureInfo.InvariantCulture) : "all")} images x {c.Options.WeightSubsetCount} averaged") : string.Empty)}, seed {c.Options.Seed} |"));
        md.AppendLine(Inv($"| procedure | {h.Procedure ?? c.Options.ProcedureName} (gauge {TrainingChoices.Name(c.Options.Gauge)}, at most {c.Options.RefinementSweeps} refinement sweep(s)) |"));
        md.AppendLine(Inv($"| time | {h.TotalSeconds:0.00} s of training |"));
        md.AppendLine();

        md.AppendLine("## Result").AppendLine();
        md.AppendLine("Layer 1 is nearest the latent code, as in the paper; layers are trained from the top (data) layer down.");
        md.AppendLine("Layer MSE: the layer's output against its target after its last step. Network MSE: the whole decoder's");
        md.AppendLine("reconstruction of the training images from the latents at that point.").AppendLine();
        md.AppendLine("| layer | epochs | plateau reached | layer MSE | network MSE | elastic | seconds |");
        md.AppendLine("| ---: | ---: | :---: | ---: | ---: | ---: | ---: |");
        foreach (LayerTrainingSummary layer in h.Layers)
        {
            TrainingStepMetrics last = h.Steps.Last(s => s.Layer == layer.Layer);
            md.AppendLine(Inv($"| {layer.Layer} | {layer.Epochs} | {(layer.PlateauReached ? "yes" : "no")} | {layer.LayerMse:G6} | {last.NetworkMse:G6} | {last.NetworkElastic:G6} | {layer.Seconds:0.00} |"));
        }

        md.AppendLine();
        if (h.Refinement.Count > 0)
        {
            md.AppendLine("Whole-network refinement after layer-wise training (each sweep re-solves each layer's weights on its inputs propagated up");
            md.AppendLine("from the codes, and keeps them where the network MSE, with the codes re-solved by the encoder, does not rise):").AppendLine();
            md.AppendLine("| sweep | network MSE before | network MSE after | images better / worse | layers whose new weights were kept | seconds |");
            md.AppendLine("| ---: | ---: | ---: | ---: | --- | ---: |");
            foreach (RefinementSweep r in h.Refinement)
            {
                string kept = string.Join(", ", r.WeightsAccepted.Select((k, i) => k ? (i + 1).ToString(CultureInfo.InvariantCulture) : null).Where(k => k is not null));
                md.AppendLine(Inv($"| {r.Sweep} | {r.NetworkMseBefore:G6} | {r.NetworkMse:G6} | {r.DatapointsImproved} / {r.DatapointsWorsened} | {(kept.Length == 0 ? "none" : kept)} | {r.Seconds:0.00} |"));
            }

            md.AppendLine();
        }

        if (h.TestReconstructionMse is double testMse)
        {
            md.AppendLine(Inv($"Test reconstruction MSE (inference alone: latents solved layer by layer, weights fixed): **{testMse:G6}** (elastic {h.TestReconstructionElastic ?? double.NaN:G6})."));
            md.AppendLine();
        }

        foreach (string warning in h.Warnings)
        {
            md.AppendLine($"> warning: {warning}").AppendLine();
        }

        md.AppendLine("## Pictures").AppendLine();
        Picture(md, pictures, ReconstructionsFile, "Reconstructions (like the paper's Figure 2)",
            "First row: training images (targets). Below: their reconstruction after each layer was trained, top layer first: after layer i the images are decoded from the latents solved for layer i through layers i..K.");
        Picture(md, pictures, TestReconstructionsFile, "Test reconstructions",
            "The same for test images, never seen in training: latents come from inference alone.");
        Picture(md, pictures, ProgressFile, "Learning progress of the top layer (like the paper's Figure 4)",
            "Targets, then the top layer's reconstruction of the same training images at initialisation (Init) and after each half-step: SLe = solve for the latents in epoch e, SWe = solve for the weights.");
        Picture(md, pictures, SamplesFile, "Samples",
            "New images: latent codes drawn from a Gaussian fitted to the training latents, decoded through every layer.");
        Picture(md, pictures, LossFile, "Loss per epoch",
            "Each layer's MSE after the last half-step of each epoch (log scale); the same numbers as `layer_mse` in metrics.json.");
        Picture(md, pictures, ErrorsFile, "Per-image reconstruction error, training set",
            ErrorStats(c.TrainErrors));
        if (c.TestErrors is { } testErrors)
        {
            Picture(md, pictures, TestErrorsFile, "Per-image reconstruction error, test set", ErrorStats(testErrors));
        }

        if (c.OtherFiles.Count > 0)
        {
            md.AppendLine("## Files").AppendLine();
            foreach ((string what, string path) in c.OtherFiles)
            {
                md.AppendLine($"- {what}: [{Path.GetFileName(path)}]({path})");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static void Picture(StringBuilder md, IReadOnlySet<string> pictures, string file, string title, string caption)
    {
        if (pictures.Contains(file))
        {
            md.AppendLine($"### {title}").AppendLine().AppendLine($"![{title}]({file})").AppendLine().AppendLine(caption).AppendLine();
        }
    }

    private static string ErrorStats(double[] errors)
    {
        double[] sorted = [.. errors.Where(double.IsFinite).Order()];
        if (sorted.Length == 0)
        {
            return "No finite errors.";
        }

        double Quantile(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        return Inv($"Mean squared error of each image's reconstruction through the whole decoder: mean {sorted.Average():G6}, median {Quantile(0.5):G6}, 99th percentile {Quantile(0.99):G6}, largest {sorted[^1]:G6} ({sorted.Length} images). The worst-reconstructed images are the candidates for outliers (see `starnet score`).");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
