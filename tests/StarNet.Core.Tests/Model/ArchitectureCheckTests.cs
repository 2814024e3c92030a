using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Model;

public class ArchitectureCheckTests
{
    [Fact]
    public void Theorem_1_violation_names_the_layer_the_sizes_and_the_condition()
    {
        var arch = new DecoderArchitecture([4, 8, 6, 10], Activation.LeakyRelu());
        ArchitectureCheck check = arch.Check(100);
        string error = Assert.Single(check.Errors);
        Assert.Contains("Layer 2 (8 -> 6)", error, StringComparison.Ordinal);
        Assert.Contains("Theorem 1", error, StringComparison.Ordinal);
        Assert.Contains("d_1 = 8", error, StringComparison.Ordinal);
        Assert.Contains("d_2 = 6", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(check.ThrowIfInvalid);
    }

    [Fact]
    public void Theorem_2_needs_as_many_datapoints_as_inputs_plus_bias_in_every_layer()
    {
        var arch = new DecoderArchitecture([4, 8, 16], Activation.LeakyRelu());
        string error = Assert.Single(arch.Check(8).Errors);
        Assert.Contains("Layer 2 (8 -> 16)", error, StringComparison.Ordinal);
        Assert.Contains("Theorem 2 / Lemma 6", error, StringComparison.Ordinal);
        Assert.Contains("9 unknowns", error, StringComparison.Ordinal);
        Assert.True(arch.Check(10).IsValid);
        Assert.Contains(arch.Check(9).Warnings, w => w.Contains("exactly as many datapoints", StringComparison.Ordinal));

        ArchitectureCheck subset = arch.Check(1000, weightSubsetSize: 5);
        Assert.Contains("random subset of 5 of the 1000 datapoints", Assert.Single(subset.Errors), StringComparison.Ordinal);
        Assert.Contains("Layer 1 (4 -> 8)", Assert.Single(subset.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Lemma_5_square_layer_is_a_warning()
    {
        var arch = new DecoderArchitecture([4, 8, 8], Activation.LeakyRelu());
        ArchitectureCheck check = arch.Check(100);
        Assert.True(check.IsValid);
        string warning = Assert.Single(check.Warnings);
        Assert.Contains("Layer 2 (8 -> 8)", warning, StringComparison.Ordinal);
        Assert.Contains("Lemma 5", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_checks_the_conditions_before_any_work_starts()
    {
        var arch = new DecoderArchitecture([4, 8, 6], Activation.LeakyRelu());
        var data = new Matrix<double>(50, 6);
        int reports = 0;
        var progress = new SynchronousProgress<TrainingProgress>(_ => reports++);
        var e = Assert.Throws<ArgumentException>(() => StarNetTrainer.Train(data.AsReadOnlySpan(), arch, null, progress));
        Assert.Contains("Theorem 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, reports);

        var wrongWidth = new Matrix<double>(50, 7);
        var ok = new DecoderArchitecture([4, 8], Activation.LeakyRelu());
        Assert.Throws<ArgumentException>(() => StarNetTrainer.Train(wrongWidth.AsReadOnlySpan(), ok));
    }

    [Fact]
    public void Parse_and_text_round_trip()
    {
        var arch = DecoderArchitecture.Parse("128, 256,784", Activation.LeakyRelu());
        Assert.Equal([128, 256, 784], arch.Widths);
        Assert.Equal("128,256,784", arch.WidthsText);
        Assert.Equal(2, arch.LayerCount);
        Assert.Equal(256, arch.InputWidth(2));
        Assert.Equal(256, arch.OutputWidth(1));
        Assert.Equal(arch, DecoderArchitecture.Parse(arch.WidthsText, Activation.LeakyRelu()));
        Assert.Throws<FormatException>(() => DecoderArchitecture.Parse("128,x", Activation.Identity));
        Assert.Throws<ArgumentException>(() => new DecoderArchitecture([5], Activation.Identity));
        Assert.Throws<ArgumentException>(() => new DecoderArchitecture([5, 0], Activation.Identity));
        Assert.Throws<ArgumentOutOfRangeException>(() => arch.InputWidth(3));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
