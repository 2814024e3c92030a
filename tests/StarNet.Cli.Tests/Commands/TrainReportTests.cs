using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StarNet.Cli.Commands;
using StarNet.Cli.Report;
using StarNet.Core.Tests.Data.Support;

namespace StarNet.Cli.Tests.Commands;

/// <summary>
/// <c>starnet train --report</c> on the bundled MNIST sample with a tiny decoder: every file of the report exists,
/// every picture is a valid PNG of the expected size, and the numbers in report.md are those of metrics.json.
/// </summary>
public sealed class TrainReportTests : IDisposable
{
    private const int TileSide = 28 * 2;
    private const int Gap = 2;

    private readonly TempFolder temp = new();
    private readonly string report;
    private readonly CliResult result;
    private readonly JsonDocument metrics;

    public TrainReportTests()
    {
        report = temp.File("report");
        // The paper's procedure: without refinement the training histogram (inference on the training images) has the
        // last layer-wise step's network MSE as its mean, which the summary test checks.
        result = CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:16,32", "--samples", "300", "--epochs", "3", "--plateau", "0", "--paper", "--report", report).AssertSuccess();
        metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
    }

    public void Dispose()
    {
        metrics.Dispose();
        temp.Dispose();
    }

    [Fact]
    public void Writes_every_file_into_the_report_folder()
    {
        string[] expected =
        [
            "errors-test.png", "errors.png", "loss.png", "metrics.json", "model.safetensors", "progress.png",
            "reconstructions-test.png", "reconstructions.png", "report.md", "samples.png",
        ];
        Assert.Equal(expected, Directory.GetFiles(report).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains($"wrote report: {Path.Combine(report, "report.md")}", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reconstructions.png", 3, 10, "layer 2")]
    [InlineData("reconstructions-test.png", 3, 10, "layer 2")]
    [InlineData("samples.png", 3, 10, "")]
    public void Image_grids_are_grayscale_pngs_of_the_expected_size(string file, int rows, int columns, string widestLabel)
    {
        PngFile png = PngFile.Read(Path.Combine(report, file));
        Assert.Equal(0, png.ColorType);
        Assert.Equal(8, png.BitDepth);
        Assert.Equal(GridWidth(columns, widestLabel), png.Width);
        Assert.Equal(Gap + (rows * (TileSide + Gap)), png.Height);
    }

    [Fact]
    public void Progress_picture_has_the_targets_init_and_one_row_per_step_of_the_top_layer()
    {
        int topSteps = Steps().Count(s => s.GetProperty("layer").GetInt32() == 2);
        Assert.Equal(7, topSteps); // 3 epochs of SL and SW, then the closing latent solve
        PngFile png = PngFile.Read(Path.Combine(report, "progress.png"));
        Assert.Equal(GridWidth(8, "target"), png.Width);
        Assert.Equal(Gap + ((2 + topSteps) * (TileSide + Gap)), png.Height);
    }

    [Theory]
    [InlineData("loss.png")]
    [InlineData("errors.png")]
    [InlineData("errors-test.png")]
    public void Charts_are_rgb_pngs_of_800_by_500(string file)
    {
        PngFile png = PngFile.Read(Path.Combine(report, file));
        Assert.Equal((TrainingReport.ChartWidth, TrainingReport.ChartHeight, 2), (png.Width, png.Height, png.ColorType));
    }

    [Fact]
    public void Metrics_have_every_field_for_every_layer_and_step_and_the_test_mse()
    {
        JsonElement[] steps = Steps();
        foreach (int layer in new[] { 1, 2 })
        {
            foreach (string step in new[] { "latents", "weights" })
            {
                Assert.Contains(steps, s => s.GetProperty("layer").GetInt32() == layer && s.GetProperty("step").GetString() == step);
            }
        }

        foreach (JsonElement s in steps)
        {
            foreach (string field in new[] { "layer", "epoch", "step", "layer_mse", "network_mse", "elastic", "seconds" })
            {
                Assert.True(s.TryGetProperty(field, out _), $"step without {field}");
            }

            Assert.True(s.GetProperty("layer_mse").GetDouble() is > 0 and < 1);
        }

        Assert.True(metrics.RootElement.GetProperty("test_reconstruction_mse").GetDouble() is > 0 and < 1);
    }

    [Fact]
    public void Numbers_in_the_summary_are_those_of_metrics_json()
    {
        string md = File.ReadAllText(Path.Combine(report, "report.md"));
        JsonElement[] steps = Steps();
        foreach (JsonElement layer in metrics.RootElement.GetProperty("layers").EnumerateArray())
        {
            int number = layer.GetProperty("layer").GetInt32();
            JsonElement last = steps.Last(s => s.GetProperty("layer").GetInt32() == number);
            Match row = Regex.Match(md, $@"^\| {number} \| (\d+) \| (yes|no) \| (\S+) \| (\S+) \| (\S+) \| (\S+) \|$", RegexOptions.Multiline);
            Assert.True(row.Success, $"no table row for layer {number}");
            Assert.Equal(layer.GetProperty("epochs").GetInt32(), int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(layer.GetProperty("plateau_reached").GetBoolean(), row.Groups[2].Value == "yes");
            AssertSame(layer.GetProperty("layer_mse").GetDouble(), row.Groups[3].Value);
            AssertSame(last.GetProperty("network_mse").GetDouble(), row.Groups[4].Value);
            AssertSame(last.GetProperty("elastic").GetDouble(), row.Groups[5].Value);
        }

        Match test = Regex.Match(md, @"Test reconstruction MSE [^*]*\*\*(\S+)\*\*");
        Assert.True(test.Success);
        AssertSame(metrics.RootElement.GetProperty("test_reconstruction_mse").GetDouble(), test.Groups[1].Value);

        // The training histogram's mean is the whole decoder's MSE on the training set: the last step's network MSE.
        Match mean = Regex.Match(md, @"training set\]\(errors.png\)\s+Mean squared error [^:]*: mean (\S+),");
        Assert.True(mean.Success);
        double final = steps[^1].GetProperty("network_mse").GetDouble();
        Assert.InRange(double.Parse(mean.Groups[1].Value, CultureInfo.InvariantCulture), final * 0.999, final * 1.001);

        foreach (string picture in new[] { "reconstructions.png", "reconstructions-test.png", "progress.png", "samples.png", "loss.png", "errors.png", "errors-test.png" })
        {
            Assert.Contains($"]({picture})", md, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Loss_plot_points_are_the_last_layer_mse_of_each_epoch()
    {
        var history = MetricsFile.Read(Path.Combine(report, "metrics.json"));
        var perEpoch = TrainingReport.LossPerEpoch(history);
        Assert.Equal([2, 1], perEpoch.Select(l => l.Layer));
        foreach ((int layer, IReadOnlyList<(int Epoch, double Mse)> points) in perEpoch)
        {
            Assert.Equal([1, 2, 3], points.Select(p => p.Epoch));
            Assert.Equal(history.Steps.Last(s => s.Layer == layer).LayerMse, points[^1].Mse);
        }
    }

    private JsonElement[] Steps() => [.. metrics.RootElement.GetProperty("steps").EnumerateArray()];

    private static int GridWidth(int columns, string widestLabel)
    {
        int label = widestLabel.Length == 0 ? 0 : BitmapFont.MeasureWidth(widestLabel, 2) + Gap + 2;
        return label + Gap + (columns * (TileSide + Gap));
    }

    private static void AssertSame(double expected, string shown) =>
        Assert.Equal(expected.ToString("G6", CultureInfo.InvariantCulture), shown);
}
