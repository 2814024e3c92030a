using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Benchmarks.Model;

/// <summary>
/// Trains a StarNet decoder on a real dataset and writes what docs/results.md reports: per-step metrics
/// (markdown and JSON), test reconstruction through inference alone, the engine's GEMM rate on the same shapes,
/// and a picture like the paper's Figure 2 (targets, reconstruction after the top layer, after the whole network)
/// plus samples from the latent Gaussian.
/// <code>
/// dotnet run -c Release --project perf/StarNet.Benchmarks -- results --data ../shared/data/mnist --name mnist
///     [--arch 128,256,784] [--dtype float|double] [--solver ne|qr|sne] [--epochs 5] [--plateau 0.02] [--threads 2]
///     [--out docs/results] [--tag suffix] [--procedure default|paper]
/// </code>
/// </summary>
internal static class TrainingRun
{
    public static int Run(string[] args)
    {
        var a = Arguments.Parse(args);
        string data = a.Get("data");
        string name = a.Get("name", Path.GetFileName(Path.GetFullPath(data)));
        string arch = a.Get("arch", "128,256,784");
        string dtype = a.Get("dtype", "float");
        int epochs = int.Parse(a.Get("epochs", "5"), CultureInfo.InvariantCulture);
        int threads = int.Parse(a.Get("threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        string output = a.Get("out", "docs/results");
        Directory.CreateDirectory(output);
        Dataset dataset = DatasetLoader.Load(data);
        string solver = a.Get("solver", "ne");
        // The "Feedforward StarNet" tables of docs/results.md were measured with the paper's procedure (--procedure paper).
        var options = (a.Get("procedure", "default") == "paper" ? TrainingOptions.PaperLiteral : new TrainingOptions()) with
        {
            EpochsPerLayer = epochs,
            PlateauTolerance = double.Parse(a.Get("plateau", "0.02"), CultureInfo.InvariantCulture),
            DegreeOfParallelism = threads,
            Solver = solver switch { "qr" => SolverMethod.Qr, "sne" => SolverMethod.SemiNormal, _ => SolverMethod.NormalEquations },
        };
        string tag = $"{name}-{arch.Replace(',', '-')}-{dtype}" + (solver == "ne" ? string.Empty : "-" + solver) + a.Get("tag", string.Empty);
        return dtype == "double"
            ? Run<double>(dataset, arch, options, output, tag)
            : Run<float>(dataset, arch, options, output, tag);
    }

    private static int Run<T>(Dataset dataset, string widths, TrainingOptions options, string output, string tag)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> train = BenchmarkData.ToMatrix<T>(dataset.Train);
        Matrix<T> test = BenchmarkData.ToMatrix<T>(dataset.Test ?? throw new InvalidOperationException("The dataset has no test split."));
        var architecture = DecoderArchitecture.Parse(widths, Activation.LeakyRelu(0.5));
        Console.WriteLine($"{tag}: {train.Rows} train, {test.Rows} test, {architecture}, {typeof(T).Name}, {LinearAlgebraSettings.Describe()}");

        var progress = new ConsoleProgress();
        long start = Stopwatch.GetTimestamp();
        TrainingResult<T> result = StarNetTrainer.Train(train.AsReadOnlySpan(), test.AsReadOnlySpan(), architecture, options, progress);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        StarNetModel<T> model = result.Model;
        TrainingHistory h = result.History;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {seconds:F1} s; test reconstruction MSE {h.TestReconstructionMse:G5}, elastic {h.TestReconstructionElastic:G5}"));

        (double encodeSeconds, double encodeRate) = TimeBatchEncode(model, test);
        (double singleMicroseconds, long singleBytes) = TimeSingleEncode(model, test);
        double gemm = GemmRate<T>(train.Rows, architecture, options.DegreeOfParallelism ?? 1);
        File.WriteAllText(Path.Combine(output, tag + ".json"), h.ToJson());
        File.WriteAllText(Path.Combine(output, tag + ".md"), Markdown(tag, architecture, train.Rows, test.Rows, h, seconds, encodeSeconds, encodeRate, gemm) +
            string.Create(CultureInfo.InvariantCulture, $"Single-sample encode: median {singleMicroseconds:F1} us over the test images, {singleBytes} bytes allocated in {test.Rows} calls.{Environment.NewLine}"));
        SaveFigure(model, dataset, test, Path.Combine(output, tag + ".png"));
        ModelFile.Save(model, Path.Combine(Path.GetTempPath(), tag + ".safetensors"));
        return 0;
    }

    /// <summary>Median of five batched encodes of the whole test set.</summary>
    private static (double Seconds, double ImagesPerSecond) TimeBatchEncode<T>(StarNetModel<T> model, Matrix<T> test)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var latents = new Matrix<T>(test.Rows, model.Architecture.LatentDimension);
        var times = new double[5];
        model.Encoder.Encode(test.AsReadOnlySpan(), latents.AsSpan());
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Encoder.Encode(test.AsReadOnlySpan(), latents.AsSpan());
            times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(times);
        return (times[2], test.Rows / times[2]);
    }

    /// <summary>Median latency of one-image encodes over the test set (after a warm-up pass) and the bytes allocated by all of them.</summary>
    private static (double Microseconds, long Bytes) TimeSingleEncode<T>(StarNetModel<T> model, Matrix<T> test)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var latent = new T[model.Architecture.LatentDimension];
        var times = new double[test.Rows];

        // Warm up for at least half a second, so that tiered compilation has promoted the code to its final tier.
        long warm = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.5)
        {
            for (int r = 0; r < test.Rows; r++)
            {
                model.Encoder.Encode(test.AsReadOnlySpan().Row(r), latent);
            }
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < test.Rows; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Encoder.Encode(test.AsReadOnlySpan().Row(r), latent);
            times[r] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }

        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(times);
        return (times[times.Length / 2], bytes);
    }

    /// <summary>The engine's rate on the training's biggest GEMM shape: N x d_(K-1) times its transpose-partner d_(K-1) x d_K (median of three).</summary>
    private static double GemmRate<T>(int n, DecoderArchitecture arch, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = arch.InputWidth(arch.LayerCount), m = arch.OutputDimension;
        var a = new Matrix<T>(n, m);
        var b = new Matrix<T>(k, m);
        var c = new Matrix<T>(n, k);
        a.Span.Fill(T.One);
        b.Span.Fill(T.One);
        using IDisposable scope = LinearAlgebraSettings.Override(degreeOfParallelism: threads);
        var times = new double[3];
        Blas.Gemm(T.One, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, c.AsSpan());
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Blas.Gemm(T.One, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, c.AsSpan());
            times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(times);
        return 2.0 * n * m * k / times[1] / 1e9;
    }

    private static string Markdown(string tag, DecoderArchitecture arch, int n, int nTest, TrainingHistory h, double seconds, double encodeSeconds, double encodeRate, double gemm)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"### {tag}");
        s.AppendLine();
        s.AppendLine(c, $"{arch}, {n} training and {nTest} test images; total {seconds:F1} s; engine GEMM on the {n}x{arch.OutputDimension} by {arch.OutputDimension}x{arch.InputWidth(arch.LayerCount)} shape: {gemm:F1} GFLOP/s.");
        s.AppendLine();
        s.AppendLine("| layer | epoch | step | layer MSE | network MSE | elastic | seconds | GFLOP/s | % of GEMM | condition |");
        s.AppendLine("| ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (TrainingStepMetrics m in h.Steps)
        {
            s.AppendLine(c, $"| {m.Layer} | {m.Epoch} | {m.StepName} | {m.LayerMse:F5} | {m.NetworkMse:F5} | {m.NetworkElastic:F5} | {m.Seconds:F2} | {m.GigaflopsPerSecond:F1} | {100 * m.GigaflopsPerSecond / gemm:F0} | {m.ConditionEstimate:G3} |");
        }

        s.AppendLine();
        s.AppendLine("| layer | epochs | plateau | final layer MSE | seconds | seconds per epoch | epoch GFLOP/s | % of GEMM |");
        s.AppendLine("| ---: | ---: | :--- | ---: | ---: | ---: | ---: | ---: |");
        foreach (LayerTrainingSummary l in h.Layers)
        {
            // An epoch is one latent and one weight step; the closing latent solve is left out of the per-epoch figures.
            TrainingStepMetrics[] steps = [.. h.Steps.Where(x => x.Layer == l.Layer).Take(2 * l.Epochs)];
            double perEpoch = steps.Sum(x => x.Seconds) / l.Epochs;
            double rate = steps.Sum(x => x.Flops) / steps.Sum(x => x.Seconds) / 1e9;
            s.AppendLine(c, $"| {l.Layer} | {l.Epochs} | {(l.PlateauReached ? "yes" : "no")} | {l.LayerMse:F5} | {l.Seconds:F1} | {perEpoch:F2} | {rate:F1} | {100 * rate / gemm:F0} |");
        }

        s.AppendLine();
        s.AppendLine(c, $"Test reconstruction through inference alone: MSE {h.TestReconstructionMse:F5}, elastic {h.TestReconstructionElastic:F5}. Batched encode of the {nTest} test images: {encodeSeconds * 1e3:F1} ms ({encodeRate:F0} images/s).");
        return s.ToString();
    }

    /// <summary>Rows: 12 test targets; reconstruction through the top layer only; through the whole network; 12 samples.</summary>
    private static void SaveFigure<T>(StarNetModel<T> model, Dataset dataset, Matrix<T> test, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int count = 12;
        ImageShape shape = dataset.Shape;
        var targets = Matrix<T>.CopyOf(test.AsReadOnlySpan().Slice(0, 0, count, test.Cols));
        var grid = new ImageGrid(shape.Channels, shape.Height, shape.Width) { Scale = 2, TextScale = 2 };
        grid.AddRow("target", Tiles(targets));
        var recon = new Matrix<T>(count, test.Cols);
        int k = model.Architecture.LayerCount;
        for (int layer = k; layer >= 1; layer--)
        {
            model.Reconstruct(targets.AsReadOnlySpan(), recon.AsSpan(), throughLayer: layer);
            grid.AddRow($"layer {layer} ({model.Architecture.InputWidth(layer)})", Tiles(recon));
        }

        grid.AddRow("sampled", Tiles(model.Generate(count, 1)));
        grid.Save(path);
    }

    private static IEnumerable<float[]> Tiles<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < m.Rows; r++)
        {
            yield return [.. m.AsReadOnlySpan().Row(r).ToArray().Select(float.CreateTruncating)];
        }
    }

    private sealed class ConsoleProgress : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            TrainingStepMetrics m = value.Metrics;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"layer {m.Layer} epoch {m.Epoch} {m.StepName,-7} layer MSE {m.LayerMse:F5} network MSE {m.NetworkMse:F5} elastic {m.NetworkElastic:F5} {m.Seconds:F2} s (solve {m.SolveSeconds:F2} s) {m.GigaflopsPerSecond:F1} GFLOP/s"));
        }
    }

    private sealed class Arguments
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Arguments Parse(string[] args)
        {
            var a = new Arguments();
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                a._values[args[i].TrimStart('-')] = args[i + 1];
            }

            return a;
        }

        public string Get(string key, string? fallback = null) =>
            _values.TryGetValue(key, out string? v) ? v : fallback ?? throw new ArgumentException($"--{key} is required.");
    }
}
