using System.Text.Json;
using StarNet.Cli.Commands;
using StarNet.Core.Tests.Data.Support;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Tests.Commands;

/// <summary>
/// <c>starnet train</c>'s options of issue #8: <c>--gauge</c>, <c>--refine</c>, <c>--refine-tol</c>, <c>--paper</c> and
/// <c>--baseline</c> reach the library, the metrics JSON and the model file, and bad combinations are usage errors.
/// </summary>
public sealed class GaugeOptionsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("none", "refinement")]
    [InlineData("whiten", "gauge=whiten,refinement")]
    [InlineData("principal", "gauge=principal_axes,refinement")]
    [InlineData("range", "gauge=activation_range,refinement")]
    [InlineData("principal-range", "gauge=principal_axes_in_range,refinement")]
    public void Every_gauge_trains_refines_and_is_recorded(string gauge, string procedure)
    {
        string metrics = temp.File($"{gauge}.json"), model = temp.File($"{gauge}.safetensors");
        CliResult result = Train("--gauge", gauge, "--refine", "2", "--refine-tol", "0", "--metrics", metrics, "--out", model).AssertSuccess();
        Assert.Contains("refinement sweep 1: network MSE ", result.Out, StringComparison.Ordinal);
        Assert.Contains($"({procedure})", result.Out, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(metrics));
        Assert.Equal(procedure, doc.RootElement.GetProperty("procedure").GetString());
        JsonElement[] sweeps = [.. doc.RootElement.GetProperty("refinement").EnumerateArray()];
        Assert.Equal(2, sweeps.Length);
        Assert.All(sweeps, s => Assert.True(s.GetProperty("network_mse").GetDouble() <= s.GetProperty("network_mse_before").GetDouble()));
        Assert.Equal(sweeps[^1].GetProperty("network_mse").GetDouble(), doc.RootElement.GetProperty("final_network_mse").GetDouble());

        TrainingOptions stored = ModelFile.Load<float>(model).TrainingOptions!;
        Assert.Equal(TrainingChoices.Gauges[gauge], stored.Gauge);
        Assert.Equal(2, stored.RefinementSweeps);
        Assert.Equal(0, stored.RefinementTolerance);
        Assert.Contains($"procedure:   {procedure}", CliRunner.Run("info", model).AssertSuccess().Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Paper_runs_the_papers_procedure()
    {
        string metrics = temp.File("paper.json");
        CliResult result = Train("--paper", "--metrics", metrics).AssertSuccess();
        Assert.DoesNotContain("refinement sweep", result.Out, StringComparison.Ordinal);
        Assert.Contains("(paper_literal)", result.Out, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(metrics));
        Assert.Equal("paper_literal", doc.RootElement.GetProperty("procedure").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("refinement").GetArrayLength());
    }

    [Fact]
    public void The_default_is_gauge_fixing_with_refinement()
    {
        string metrics = temp.File("default.json");
        Train("--metrics", metrics).AssertSuccess();
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(metrics));
        Assert.Equal(new TrainingOptions().ProcedureName, doc.RootElement.GetProperty("procedure").GetString());
    }

    [Fact]
    public void Baseline_reports_the_linear_fit_of_the_same_code_size()
    {
        string metrics = temp.File("baseline.json");
        CliResult result = Train("--baseline", "--metrics", metrics).AssertSuccess();
        Assert.Contains("linear baseline (PCA, code size 8): training MSE ", result.Out, StringComparison.Ordinal);
        Assert.Contains("deep decoder against the linear baseline (test MSE): ", result.Out, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(metrics));
        JsonElement baseline = doc.RootElement.GetProperty("linear_baseline");
        Assert.Equal(8, baseline.GetProperty("code_size").GetInt32());
        Assert.True(baseline.GetProperty("train_mse").GetDouble() is > 0 and < 1);
        Assert.True(baseline.GetProperty("test_mse").GetDouble() is > 0 and < 1);

        // The history still reads.
        Assert.NotEmpty(MetricsFile.Read(metrics).Steps);
    }

    [Theory]
    [InlineData("cannot be combined with --gauge", "--paper", "--gauge", "whiten")]
    [InlineData("cannot be combined with --gauge", "--paper", "--refine", "3")]
    [InlineData("option --gauge", "--gauge", "sideways")]
    [InlineData("option --refine: -1 is out of range", "--refine=-1")]
    [InlineData("option --refine-tol", "--refine-tol", "2")]
    public void Bad_procedure_options_are_usage_errors(string fragment, params string[] options) =>
        Train(options).AssertOneLineError(ExitCodes.Usage, fragment);

    private static CliResult Train(params string[] options) =>
        CliRunner.Run(["train", "--data", SharedData.Sample, "--arch", "ff:8,16", "--samples", "200", "--epochs", "2", .. options]);
}
