using StarNet.Cli.Commands;
using StarNet.Cli.Tests.Support;
using StarNet.Core.Tests.Data.Support;

namespace StarNet.Cli.Tests.Commands;

/// <summary>Wrong command lines and malformed inputs of train and the model commands: one line, the right exit code.</summary>
public sealed class CommandErrorTests : IClassFixture<CommandErrorTests.TrainedModel>
{
    private readonly TrainedModel trained;

    public CommandErrorTests(TrainedModel trained) => this.trained = trained;

    [Theory]
    [InlineData("needs --data PATH", "train")]
    [InlineData("Conv layer spec '6' has no kernel size", "train", "--data", "x", "--arch", "conv:6,2")]
    [InlineData("part 'cnn:mnist' should start with ff: or conv:", "train", "--data", "x", "--arch", "cnn:mnist")]
    [InlineData("dense layers must come before conv layers", "train", "--data", "x", "--arch", "conv:mnist+ff:10")]
    [InlineData("width 'abc' in 'ff:128,abc'", "train", "--data", "x", "--arch", "ff:128,abc")]
    [InlineData("width '0' in 'ff:0'", "train", "--data", "x", "--arch", "ff:0")]
    [InlineData("option --activation: 'relu' is not one of", "train", "--data", "x", "--activation", "relu")]
    [InlineData("the slope in 'leaky-relu:-1' must be", "train", "--data", "x", "--activation", "leaky-relu:-1")]
    [InlineData("option --epochs: 0 is out of range", "train", "--data", "x", "--epochs", "0")]
    [InlineData("option --epochs: 'five' is not a whole number", "train", "--data", "x", "--epochs", "five")]
    [InlineData("option --plateau: 'x' is not a number", "train", "--data", "x", "--plateau", "x")]
    [InlineData("option --solver: 'svd' is not one of qr, normal, semi-normal", "train", "--data", "x", "--solver", "svd")]
    [InlineData("option --seed: '-1' is not a non-negative whole number", "train", "--data", "x", "--seed", "-1")]
    [InlineData("option --threads needs a value", "train", "--data", "x", "--threads")]
    [InlineData("unknown option '--epoch'", "train", "--data", "x", "--epoch", "3")]
    [InlineData("needs --model FILE", "reconstruct", "--data", "x")]
    [InlineData("needs --data PATH", "encode", "--model", "m", "--out", "x.npy")]
    [InlineData("needs --out FILE.npy", "encode", "--model", "m", "--data", "x")]
    [InlineData("option --split: 'valid' is not one of train, test", "score", "--model", "m", "--data", "x", "--out", "s.csv", "--split", "valid")]
    [InlineData("needs --out FILE.npy or --grid FILE.png", "sample", "--model", "m")]
    [InlineData("needs a MODEL file", "info")]
    public void Wrong_command_lines_are_usage_errors(string fragment, params string[] args) =>
        CliRunner.Run(args).AssertOneLineError(ExitCodes.Usage, fragment);

    [Fact]
    public void A_missing_dataset_is_a_failure_naming_it()
    {
        using var temp = new TempFolder();
        string missing = temp.File("nowhere");
        CliRunner.Run("train", "--data", missing).AssertOneLineError(ExitCodes.Failure, missing, "no such file or folder");
    }

    [Fact]
    public void A_folder_without_a_dataset_is_a_failure()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("notes.txt"), "hello");
        CliRunner.Run("train", "--data", temp.Path).AssertOneLineError(ExitCodes.Failure, "no dataset recognised");
    }

    [Fact]
    public void A_malformed_dataset_file_is_a_failure()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0]);
        File.WriteAllBytes(temp.File("train-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 0]);
        CliRunner.Run("train", "--data", temp.Path).AssertOneLineError(ExitCodes.Failure, "train-images-idx3-ubyte");
    }

    [Fact]
    public void An_architecture_the_paper_rules_out_fails_before_training()
    {
        // Theorem 2: 50 images cannot determine the weights of a layer with 64 inputs.
        CliResult result = CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:64,128", "--samples", "50");
        result.AssertOneLineError(ExitCodes.Failure, "Layer 1 (64 -> 128)");
    }

    [Fact]
    public void A_funnel_architecture_fails_before_training()
    {
        // Theorem 1: a layer's input may not be wider than its output.
        CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:64,32", "--samples", "300").AssertOneLineError(ExitCodes.Failure, "Layer 1 (64 -> 32)");
    }

    [Theory]
    [InlineData("reconstruct")]
    [InlineData("encode")]
    [InlineData("score")]
    public void A_missing_model_file_is_a_failure(string command)
    {
        using var temp = new TempFolder();
        string missing = temp.File("none.safetensors");
        CliRunner.Run(command, "--model", missing, "--data", SharedData.Sample, "--out", temp.File("o")).AssertOneLineError(ExitCodes.Failure, missing, "no such model file");
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 })]
    [InlineData(new byte[] { 255, 255, 255, 255, 0, 0, 0, 0, 1 })]
    public void A_malformed_model_file_is_a_failure(byte[] content)
    {
        using var temp = new TempFolder();
        string path = temp.File("bad.safetensors");
        File.WriteAllBytes(path, content);
        CliRunner.Run("info", path).AssertOneLineError(ExitCodes.Failure, "bad.safetensors");
        CliRunner.Run("sample", "--model", path, "--grid", temp.File("s.png")).AssertOneLineError(ExitCodes.Failure, "bad.safetensors");
        Assert.False(File.Exists(temp.File("s.png")));
    }

    [Fact]
    public void Data_of_another_shape_than_the_model_is_a_failure()
    {
        using var temp = new TempFolder();
        string cifar = SmallDatasets.Write(temp.Path, "cifar10", train: 12, test: 4);
        CliRunner.Run("reconstruct", "--model", trained.Path, "--data", cifar).AssertOneLineError(ExitCodes.Failure, "3x32x32 (3072 values)", "decodes 784 values");
    }

    [Fact]
    public void Asking_for_a_test_split_that_does_not_exist_is_a_failure()
    {
        using var temp = new TempFolder();
        string npy = SmallDatasets.Write(temp.Path, "npy", train: 12, test: 0);
        CliRunner.Run("train", "--data", npy, "--arch", "ff:2,4", "--epochs", "1", "--out", temp.File("m.safetensors")).AssertSuccess();
        CliRunner.Run("encode", "--model", temp.File("m.safetensors"), "--data", npy, "--split", "test", "--out", temp.File("l.npy"))
            .AssertOneLineError(ExitCodes.Failure, "has no test split");
    }

    [Fact]
    public void A_layer_the_model_does_not_have_is_a_usage_error()
    {
        using var temp = new TempFolder();
        CliRunner.Run("encode", "--model", trained.Path, "--data", SharedData.Sample, "--samples", "5", "--layer", "3", "--out", temp.File("l.npy"))
            .AssertOneLineError(ExitCodes.Usage, "--layer: 3 is out of range (the model has 2 layers)");
    }

    [Fact]
    public void Writing_to_a_folder_path_is_a_failure()
    {
        using var temp = new TempFolder();
        CliRunner.Run("sample", "--model", trained.Path, "--out", temp.Path).AssertOneLineError(ExitCodes.Failure, "is a folder");
    }

    [Fact]
    public void Training_without_an_output_warns_that_the_model_is_not_saved()
    {
        CliResult result = CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:4,8", "--samples", "40", "--epochs", "1").AssertSuccess();
        Assert.Contains("starnet: warning: the model was not saved", result.Err, StringComparison.Ordinal);
    }

    /// <summary>A tiny model trained once on the bundled sample for the tests that need one.</summary>
    public sealed class TrainedModel : IDisposable
    {
        private readonly TempFolder temp = new();

        public TrainedModel()
        {
            Path = temp.File("model.safetensors");
            CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:8,16", "--samples", "100", "--epochs", "1", "--out", Path).AssertSuccess();
        }

        public string Path { get; }

        public void Dispose() => temp.Dispose();
    }
}
