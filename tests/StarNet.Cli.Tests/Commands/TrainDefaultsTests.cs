using System.Globalization;
using StarNet.Cli.Commands;
using StarNet.Core.Tests.Data.Support;
using StarNet.Testing;
using StarNet.Training;

namespace StarNet.Cli.Tests.Commands;

/// <summary>The CLI trains with the library's defaults unless told otherwise.</summary>
public sealed class TrainDefaultsTests
{
    [Fact]
    public void Plateau_default_is_the_library_default_in_the_help_and_in_the_trained_model()
    {
        double library = new TrainingOptions().PlateauTolerance;
        Assert.Equal(library, TrainCommand.DefaultPlateau);

        OptionSpec plateau = new TrainCommand().Options.Single(o => o.Name == "plateau");
        Assert.Equal(library, double.Parse(plateau.Default!, CultureInfo.InvariantCulture));

        using var temp = new TempFolder();
        string model = Path.Combine(temp.Path, "model.safetensors");
        CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--epochs", "1", "--out", model).AssertSuccess();
        string info = CliRunner.Run("info", model).AssertSuccess().Out;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"plateau {library:G6},"), info, StringComparison.Ordinal);
    }

    [Fact]
    public void Solver_default_is_the_library_default_in_the_help_and_in_the_trained_model()
    {
        SolverMethod library = new TrainingOptions().Solver;
        Assert.Equal(library, TrainCommand.DefaultSolver);

        OptionSpec solver = new TrainCommand().Options.Single(o => o.Name == "solver");
        Assert.Equal(TrainingChoices.Name(library), solver.Default);

        using var temp = new TempFolder();
        string model = Path.Combine(temp.Path, "model.safetensors");
        CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--epochs", "1", "--out", model).AssertSuccess();
        string info = CliRunner.Run("info", model).AssertSuccess().Out;
        Assert.Contains($"solver {TrainingChoices.Name(library)},", info, StringComparison.Ordinal);
    }
}
