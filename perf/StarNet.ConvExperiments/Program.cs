using System.Diagnostics;
using System.Globalization;
using System.Text;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.ConvExperiments;

/// <summary>
/// Produces the convolutional StarNet results of docs/results.md on the library's trainer: the paper's two-layer
/// networks (Figure 3), the single-layer progression (Figure 5), the weight-subset study (Figure 8) and subset
/// averaging (Lemma 8).
/// Usage: <c>dotnet run -c Release --project perf/StarNet.ConvExperiments -- DATASET_DIR PRESET OUT_DIR [--train N] [--epochs E] [--study N]</c>;
/// <c>--study N</c> adds Figures 5 and 8 on the first N training images.
/// </summary>
internal static class Program
{
    private const int PreviewImages = 10;
    private static readonly Activation Leaky = Activation.LeakyRelu(0.5);

    private static int Main(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: StarNet.ConvExperiments DATASET_DIR PRESET OUT_DIR [--train N] [--epochs E] [--study N]");
            return 2;
        }

        string dataPath = args[0];
        string preset = args[1];
        string outDir = args[2];
        int epochs = Option(args, "--epochs") ?? 5;
        Directory.CreateDirectory(outDir);
        var watch = Stopwatch.StartNew();
        Dataset dataset = DatasetLoader.Load(dataPath, new DatasetLoadOptions { MaxSamples = Option(args, "--train") });
        DatasetSplit split = dataset.Train;
        ImageShape shape = split.Shape;
        var data = new ReadOnlyMatrixSpan<float>(split.Pixels, split.Count, split.Dimension);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath));
        var log = new StringBuilder();
        Line(log, $"## {name}: {split.Count} train and {dataset.Test?.Count ?? 0} test images {shape}, loaded in {watch.Elapsed.TotalSeconds:F1} s");
        Line(log, $"{LinearAlgebraSettings.Describe()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        // Figure 3: the two-layer network on every training image, 500 images per weight solve.
        DecoderArchitecture arch = ArchitectureSpec.Parse($"conv:{preset}", shape, Leaky);
        for (int i = 1; i <= arch.LayerCount; i++)
        {
            Line(log, $"- layer {i}: {arch.Convolution(i)}, kernel tensor [{string.Join(", ", arch.Convolution(i)!.KernelShape)}]");
        }

        var options = new TrainingOptions { EpochsPerLayer = epochs, PlateauTolerance = 0 };
        TrainingResult<float> two = dataset.Test is DatasetSplit test
            ? Run(log, $"conv:{preset}, 500 images per weight solve, QR", arch, data, options, new ReadOnlyMatrixSpan<float>(test.Pixels, test.Count, test.Dimension))
            : Run(log, $"conv:{preset}, 500 images per weight solve, QR", arch, data, options);
        Matrix<float> first = Matrix<float>.FromRowMajor(split.Pixels.AsSpan(0, PreviewImages * split.Dimension), PreviewImages, split.Dimension);
        var grid = Grid(shape).AddRow("target", Tiles(first));
        for (int layer = arch.LayerCount; layer >= 1; layer--)
        {
            var through = new Matrix<float>(PreviewImages, split.Dimension);
            two.Model.Reconstruct(first.AsReadOnlySpan(), through.AsSpan(), throughLayer: layer);
            grid.AddRow($"layer {layer}", Tiles(through));
        }

        grid.AddRow("samples", Tiles(two.Model.Generate(PreviewImages, 1)));
        grid.Save(Path.Combine(outDir, $"{name}-conv-layers.png"));
        ModelFile.Save(two.Model, Path.Combine(outDir, $"{name}-conv.safetensors"));

        if (Option(args, "--study") is int studyImages)
        {
            Study(log, name, preset, shape, new ReadOnlyMatrixSpan<float>(split.Pixels, Math.Min(studyImages, split.Count), split.Dimension), first, epochs, outDir);
        }

        File.WriteAllText(Path.Combine(outDir, $"{name}-conv.md"), log.ToString());
        return 0;
    }

    private static void Study(StringBuilder log, string name, string preset, ImageShape shape, ReadOnlyMatrixSpan<float> data, Matrix<float> first, int epochs, string outDir)
    {
        // Figure 5: the data-side layer alone; after e epochs the training latents decode to the state after SW_e, and
        // re-encoding (a latent solve with the final kernels) gives the state after SL_(e+1).
        DecoderArchitecture single = ArchitectureSpec.Parse($"conv:{(preset.Contains("cifar", StringComparison.Ordinal) || preset == "svhn" ? "cifar10" : "mnist")}-single", shape, Leaky);
        Line(log, string.Empty);
        Line(log, $"### Single layer {single.Convolution(1)}: {data.Rows} images");
        var steps = Grid(shape).AddRow("target", Tiles(first));
        for (int e = 1; e <= 3; e++)
        {
            var options = new TrainingOptions { EpochsPerLayer = e, PlateauTolerance = 0, CloseWithLatentSolve = false };
            TrainingResult<float> r = StarNetTrainer.Train(data, single, options);
            var decoded = new Matrix<float>(PreviewImages, data.Cols);
            r.Model.Decode(r.Latents.AsReadOnlySpan().Slice(0, 0, PreviewImages, r.Latents.Cols), decoded.AsSpan());
            steps.AddRow($"SW{e}", Tiles(decoded));
            var again = new Matrix<float>(PreviewImages, data.Cols);
            r.Model.Reconstruct(first.AsReadOnlySpan(), again.AsSpan());
            steps.AddRow($"SL{e + 1}", Tiles(again));
        }

        steps.Save(Path.Combine(outDir, $"{name}-conv-progress.png"));

        // Figure 8: images per weight solve (normal equations, so that "all" stays quick), and Lemma 8's averaging.
        var plot = new LinePlot { Title = $"{name}: images per weight solve", XLabel = "step (SL1, SW1, SL2, ...)", YLabel = "MSE", LogY = true };
        var runs = new (string Label, TrainingOptions Options)[]
        {
            ("100", new TrainingOptions { ConvolutionWeightSubsetSize = 100 }),
            ("500", new TrainingOptions { ConvolutionWeightSubsetSize = 500 }),
            ($"all {data.Rows}", new TrainingOptions { ConvolutionWeightSubsetSize = null }),
            ("mean of 4 x 500", new TrainingOptions { ConvolutionWeightSubsetSize = 500, WeightSubsetCount = 4 }),
        };
        foreach ((string label, TrainingOptions o) in runs)
        {
            TrainingOptions options = o with { EpochsPerLayer = epochs, PlateauTolerance = 0, CloseWithLatentSolve = false, Solver = SolverMethod.NormalEquations };
            TrainingResult<float> r = Run(log, $"single layer, {label} images per weight solve, normal equations", single, data, options);
            plot.AddSeries(label, r.History.Steps.Select((s, i) => ((double)(i + 1), s.NetworkMse)));
        }

        plot.Save(Path.Combine(outDir, $"{name}-conv-subsets.png"));
    }

    private static TrainingResult<float> Run(StringBuilder log, string title, DecoderArchitecture arch, ReadOnlyMatrixSpan<float> data, TrainingOptions options, ReadOnlyMatrixSpan<float> test = default)
    {
        Line(log, string.Empty);
        Line(log, $"### {title}");
        Line(log, string.Empty);
        Line(log, "| layer | epoch | step | layer MSE | network MSE | solve s | step s |");
        Line(log, "| --- | --- | --- | --- | --- | --- | --- |");
        var watch = Stopwatch.StartNew();
        var progress = new Reporter(p =>
        {
            TrainingStepMetrics m = p.Metrics;
            Line(log, string.Create(CultureInfo.InvariantCulture, $"| {m.Layer} | {m.Epoch} | {(m.Step == TrainingStep.Latents ? "SL" : "SW")} | {m.LayerMse:G4} | {m.NetworkMse:G4} | {m.SolveSeconds:F2} | {m.Seconds:F2} |"));
        });
        TrainingResult<float> result = test.Rows > 0
            ? StarNetTrainer.Train(data, test, arch, options, progress)
            : StarNetTrainer.Train(data, arch, options, progress);
        Line(log, string.Empty);
        string testText = result.History.TestReconstructionMse is double t ? string.Create(CultureInfo.InvariantCulture, $"; test MSE {t:G4} ({test.Rows} images, encoded and decoded)") : string.Empty;
        Line(log, string.Create(CultureInfo.InvariantCulture, $"total {watch.Elapsed.TotalSeconds:F1} s{testText}"));
        return result;
    }

    private static ImageGrid Grid(ImageShape shape) => new(shape.Channels, shape.Height, shape.Width) { Scale = 2, TextScale = 1 };

    private static IEnumerable<float[]> Tiles(Matrix<float> images)
    {
        for (int i = 0; i < Math.Min(PreviewImages, images.Rows); i++)
        {
            yield return images.AsReadOnlySpan().Row(i).ToArray();
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

    /// <summary>Reports synchronously on the training thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
