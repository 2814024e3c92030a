using System.Diagnostics;
using System.Globalization;
using System.Text;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model.Convolution;

namespace StarNet.ConvExperiments;

/// <summary>
/// Produces the convolutional StarNet results of docs/results.md: the paper's two-layer networks (Figure 3), the
/// single-layer progression (Figure 5), the weight-subset study (Figure 8) and subset averaging (Lemma 8).
/// Usage: <c>dotnet run -c Release --project perf/StarNet.ConvExperiments -- DATASET_DIR PRESET OUT_DIR [--train N] [--study]</c>.
/// </summary>
internal static class Program
{
    private const int PreviewImages = 10;

    private static int Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: StarNet.ConvExperiments DATASET_DIR PRESET OUT_DIR [--train N] [--epochs E] [--study] [--average]");
            return 2;
        }

        string dataPath = args[0];
        ConvPreset preset = ConvPreset.Get(args[1]);
        string outDir = args[2];
        int? train = Option(args, "--train");
        int epochs = Option(args, "--epochs") ?? 5;
        Directory.CreateDirectory(outDir);
        var watch = Stopwatch.StartNew();
        Dataset dataset = DatasetLoader.Load(dataPath, new DatasetLoadOptions { MaxSamples = train });
        DatasetSplit split = dataset.Train;
        var data = new ReadOnlyMatrixSpan<float>(split.Pixels, split.Count, split.Dimension);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath));
        var log = new StringBuilder();
        Line(log, $"## {name}: {split.Count} train images {split.Shape}, loaded in {watch.Elapsed.TotalSeconds:F1} s; {LinearAlgebraSettings.Describe()}");

        // Figure 3: the two-layer network, subset 500, previews after each layer.
        IReadOnlyList<ConvUnpoolGeometry> layers = preset.Resolve(split.Shape);
        foreach (ConvUnpoolGeometry g in layers)
        {
            Line(log, $"- {g}: kernel tensor [{string.Join(", ", g.KernelShape)}]");
        }

        ConvTrainingResult<float> two = Run(log, $"{preset.Name}, subset 500", layers, data, new ConvTrainingOptions { EpochsPerLayer = epochs, PreviewImages = PreviewImages });
        var grid = new ImageGrid(split.Shape.Channels, split.Shape.Height, split.Shape.Width) { Scale = 2, TextScale = 1 };
        grid.AddRow("target", Tiles(split.Pixels, split.Dimension, PreviewImages));
        ConvTrainingRecord topDone = two.History.Last(r => r.Layer == layers.Count);
        grid.AddRow($"layer {layers.Count}", Tiles(topDone.Preview, split.Dimension, PreviewImages));
        if (layers.Count > 1)
        {
            grid.AddRow("layer 1", Tiles(two.History[^1].Preview, split.Dimension, PreviewImages));
        }

        grid.Save(Path.Combine(outDir, $"{name}-conv-layers.png"));

        if (Flag(args, "--study"))
        {
            // Figure 5: the single (data-side) layer, the reconstruction after every step.
            ConvPreset single = ConvPreset.Get(preset.Name.Contains("cifar", StringComparison.Ordinal) ? "cifar10-single" : "mnist-single");
            IReadOnlyList<ConvUnpoolGeometry> one = single.Resolve(split.Shape);
            ConvTrainingResult<float> progression = Run(log, $"{single.Name}, subset 500", one, data, new ConvTrainingOptions { EpochsPerLayer = 3, PreviewImages = PreviewImages, CloseWithLatentSolve = false });
            var steps = new ImageGrid(split.Shape.Channels, split.Shape.Height, split.Shape.Width) { Scale = 2, TextScale = 1 };
            steps.AddRow("target", Tiles(split.Pixels, split.Dimension, PreviewImages));
            foreach (ConvTrainingRecord r in progression.History)
            {
                string label = r.Step == ConvTrainingStep.Init ? "init" : $"{(r.Step == ConvTrainingStep.Latents ? "SL" : "SW")}{r.Epoch}";
                steps.AddRow(label, Tiles(r.Preview, split.Dimension, PreviewImages));
            }

            steps.Save(Path.Combine(outDir, $"{name}-conv-progress.png"));

            // Figure 8: images per weight solve.
            var plot = new LinePlot { Title = $"{name}: {single.Name}, MSE after each weight solve", XLabel = "epoch", YLabel = "MSE", LogY = true };
            foreach (int? subset in new int?[] { 100, 500, null })
            {
                string label = subset is int s ? s.ToString(CultureInfo.InvariantCulture) : "all";
                ConvTrainingResult<float> r = Run(log, $"{single.Name}, subset {label}, normal equations", one, data, new ConvTrainingOptions { EpochsPerLayer = epochs, WeightSubsetSize = subset, CloseWithLatentSolve = false, WeightSolveMethod = LeastSquaresMethod.NormalEquations });
                plot.AddSeries($"{label} images", r.History.Where(h => h.Step == ConvTrainingStep.Weights).Select(h => ((double)h.Epoch, h.NetworkMse)));
            }

            if (Flag(args, "--average"))
            {
                ConvTrainingResult<float> r = Run(log, $"{single.Name}, mean of 4 subsets of 500, normal equations", one, data, new ConvTrainingOptions { EpochsPerLayer = epochs, WeightSubsetCount = 4, CloseWithLatentSolve = false, WeightSolveMethod = LeastSquaresMethod.NormalEquations });
                plot.AddSeries("4 x 500 averaged", r.History.Where(h => h.Step == ConvTrainingStep.Weights).Select(h => ((double)h.Epoch, h.NetworkMse)));
            }

            plot.Save(Path.Combine(outDir, $"{name}-conv-subsets.png"));
        }

        File.WriteAllText(Path.Combine(outDir, $"{name}-conv.md"), log.ToString());
        return 0;
    }

    private static ConvTrainingResult<float> Run(StringBuilder log, string title, IReadOnlyList<ConvUnpoolGeometry> layers, ReadOnlyMatrixSpan<float> data, ConvTrainingOptions options)
    {
        Line(log, string.Empty);
        Line(log, $"### {title}");
        Line(log, string.Empty);
        Line(log, "| layer | epoch | step | layer MSE | network MSE | solve s |");
        Line(log, "| --- | --- | --- | --- | --- | --- |");
        var watch = Stopwatch.StartNew();
        ConvTrainingResult<float> result = ConvTrainer.Train(layers, data, options, r =>
            Line(log, string.Create(CultureInfo.InvariantCulture, $"| {r.Layer} | {r.Epoch} | {r.Step} | {r.LayerMse:G4} | {r.NetworkMse:G4} | {r.SolveSeconds:F2} |")));
        Line(log, string.Empty);
        Line(log, string.Create(CultureInfo.InvariantCulture, $"total {watch.Elapsed.TotalSeconds:F1} s (solves and evaluation)"));
        return result;
    }

    private static IEnumerable<float[]> Tiles(float[] images, int dimension, int count)
    {
        for (int i = 0; i < count && (i + 1) * dimension <= images.Length; i++)
        {
            yield return images.AsSpan(i * dimension, dimension).ToArray();
        }
    }

    private static void Line(StringBuilder log, string text)
    {
        Console.WriteLine(text);
        log.AppendLine(text);
    }

    private static int? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }

    private static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;
}
