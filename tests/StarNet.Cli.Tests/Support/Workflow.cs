using System.Globalization;
using StarNet.Cli.Tests.Commands;
using StarNet.Data;

namespace StarNet.Cli.Tests.Support;

/// <summary>
/// Runs every subcommand on one dataset, as a researcher would: train (with a report), info, reconstruct, encode,
/// sample and score; checks that each succeeds and that what it wrote has the expected shape.
/// </summary>
internal static class Workflow
{
    /// <summary>Runs the whole workflow.</summary>
    /// <param name="data">The <c>--data</c> path.</param>
    /// <param name="folder">Where the outputs go.</param>
    /// <param name="arch">The <c>--arch</c> value.</param>
    /// <param name="extra">More train options (e.g. <c>--samples</c>).</param>
    /// <returns>The dataset as the loader reads it with the same sample limit.</returns>
    public static void RunAll(string data, string folder, string arch, params string[] extra)
    {
        string report = Path.Combine(folder, "report");
        string model = Path.Combine(report, "model.safetensors");
        CliRunner.Run(["train", "--data", data, "--arch", arch, "--epochs", "2", "--report", report, .. extra]).AssertSuccess();
        Assert.True(File.Exists(model));
        Assert.True(File.Exists(Path.Combine(report, "report.md")));

        int? samples = extra.Contains("--samples") ? int.Parse(extra[Array.IndexOf(extra, "--samples") + 1], CultureInfo.InvariantCulture) : null;
        Dataset dataset = DatasetLoader.Load(data, new DatasetLoadOptions { MaxSamples = samples });
        DatasetSplit split = dataset.Test ?? dataset.Train;
        string[] limit = samples is int s ? ["--samples", s.ToString(CultureInfo.InvariantCulture)] : [];
        int[] widths = [.. StarNet.Model.ArchitectureSpec.Parse(arch, dataset.Shape, StarNet.Model.Activation.LeakyRelu()).Widths.SkipLast(1)];

        string info = CliRunner.Run("info", model).AssertSuccess().Out;
        Assert.Contains($"images {dataset.Shape}", info, StringComparison.Ordinal);
        Assert.Contains($"{string.Join(" -> ", widths)} -> {dataset.Shape.Size}", info, StringComparison.Ordinal);

        string recon = Path.Combine(folder, "recon.npy");
        string grid = Path.Combine(folder, "recon.png");
        CliRunner.Run(["reconstruct", "--model", model, "--data", data, "--out", recon, "--grid", grid, .. limit]).AssertSuccess();
        Assert.Equal(new[] { split.Count, dataset.Shape.Channels, dataset.Shape.Height, dataset.Shape.Width }, NpyFile.Read(recon).Shape);
        Assert.Equal(dataset.Shape.Channels == 1 ? 0 : 2, PngFile.Read(grid).ColorType);

        string latents = Path.Combine(folder, "latents.npy");
        CliRunner.Run(["encode", "--model", model, "--data", data, "--out", latents, .. limit]).AssertSuccess();
        NpyArray codes = NpyFile.Read(latents);
        Assert.Equal(new[] { split.Count, widths[0] }, codes.Shape);
        Assert.All(codes.GetData<float>(), v => Assert.True(float.IsFinite(v)));

        string samplesNpy = Path.Combine(folder, "samples.npy");
        CliRunner.Run("sample", "--model", model, "--count", "12", "--out", samplesNpy, "--grid", Path.Combine(folder, "samples.png")).AssertSuccess();
        Assert.Equal(new[] { 12, dataset.Shape.Channels, dataset.Shape.Height, dataset.Shape.Width }, NpyFile.Read(samplesNpy).Shape);

        string scores = Path.Combine(folder, "scores.csv");
        CliRunner.Run(["score", "--model", model, "--data", data, "--out", scores, .. limit]).AssertSuccess();
        string[] lines = File.ReadAllLines(scores);
        Assert.Equal(split.Count + 1, lines.Length);
        string[] header = lines[0].Split(',');
        Assert.Equal(["index", "label", .. Enumerable.Range(1, widths.Length).Select(i => $"residual_layer_{i}"), "reconstruction_mse", "outlier_score", "tail_probability", "worst_layer"], header);
        Assert.All(lines.Skip(1), line => Assert.Equal(header.Length, line.Split(',').Length));
    }
}
