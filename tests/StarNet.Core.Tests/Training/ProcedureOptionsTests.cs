using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>The options of issue #8 (gauge, refinement) are validated like the others and stored in the options' JSON, and files written before them read as the paper's procedure.</summary>
public class ProcedureOptionsTests
{
    [Fact]
    public void Out_of_range_gauge_and_refinement_options_are_refused_by_name()
    {
        Assert.Contains("Gauge", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Gauge = (GaugeFixing)17 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("RefinementSweeps", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { RefinementSweeps = -1 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("RefinementTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { RefinementTolerance = double.NaN }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("RefinementTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { RefinementTolerance = -0.1 }.Validate()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GaugeFixing.None, 0, "paper_literal")]
    [InlineData(GaugeFixing.None, 3, "refinement")]
    [InlineData(GaugeFixing.Whiten, 0, "gauge=whiten")]
    [InlineData(GaugeFixing.PrincipalAxes, 2, "gauge=principal_axes,refinement")]
    [InlineData(GaugeFixing.ActivationRange, 1, "gauge=activation_range,refinement")]
    [InlineData(GaugeFixing.PrincipalAxesInRange, 5, "gauge=principal_axes_in_range,refinement")]
    public void Options_round_trip_through_json_with_their_procedure(GaugeFixing gauge, int sweeps, string procedure)
    {
        var options = new TrainingOptions { Gauge = gauge, RefinementSweeps = sweeps, RefinementTolerance = 0.125 };
        Assert.Equal(procedure, options.ProcedureName);
        string json = TrainingJson.Write(options);
        Assert.Contains($"\"procedure\":\"{procedure}\"", json, StringComparison.Ordinal);
        Assert.Equal(options, TrainingJson.ReadOptions(json));
    }

    [Theory]
    [InlineData(SolverMethod.Qr, "qr")]
    [InlineData(SolverMethod.NormalEquations, "normal_equations")]
    [InlineData(SolverMethod.SemiNormal, "semi_normal")]
    [InlineData(SolverMethod.RandomizedCholeskyQr, "randomized_cholesky_qr")]
    public void Every_solver_round_trips_through_json_by_its_name(SolverMethod solver, string name)
    {
        var options = new TrainingOptions { Solver = solver };
        Assert.Equal(name, TrainingJson.SolverName(solver));
        string json = TrainingJson.Write(options);
        Assert.Contains($"\"solver\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Equal(options, TrainingJson.ReadOptions(json));
    }

    [Fact]
    public void Options_written_before_gauge_fixing_read_as_the_papers_procedure()
    {
        string json = TrainingJson.Write(new TrainingOptions());
        foreach (string key in new[] { "gauge", "refinement_sweeps", "refinement_tolerance", "procedure" })
        {
            json = System.Text.RegularExpressions.Regex.Replace(json, $",\"{key}\":(\"[^\"]*\"|[0-9.eE+-]+)", string.Empty);
        }

        Assert.DoesNotContain("gauge", json, StringComparison.Ordinal);
        TrainingOptions read = TrainingJson.ReadOptions(json);
        Assert.Equal(GaugeFixing.None, read.Gauge);
        Assert.Equal(0, read.RefinementSweeps);
        Assert.Equal("paper_literal", read.ProcedureName);
    }

    [Fact]
    public void The_paper_literal_preset_differs_from_the_defaults_only_in_gauge_and_refinement()
    {
        TrainingOptions paper = TrainingOptions.PaperLiteral;
        Assert.Equal(new TrainingOptions() with { Gauge = GaugeFixing.None, RefinementSweeps = 0 }, paper);
        Assert.NotEqual(GaugeFixing.None, new TrainingOptions().Gauge);
        Assert.True(new TrainingOptions().RefinementSweeps > 0);
    }
}
