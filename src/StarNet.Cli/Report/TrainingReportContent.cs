using StarNet.Data;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Report;

/// <summary>One labelled row of images in a report grid, e.g. "layer 2" and the reconstructions after layer 2.</summary>
/// <param name="Label">The row's label, drawn to its left.</param>
/// <param name="Images">The images, CHW floats in [0, 1].</param>
internal sealed record ImageRow(string Label, IReadOnlyList<float[]> Images);

/// <summary>Everything the training report shows, gathered by <c>starnet train</c> after training.</summary>
internal sealed record TrainingReportContent
{
    /// <summary>The dataset's name and the path it was loaded from.</summary>
    public required string Dataset { get; init; }

    /// <summary>The shape of one image.</summary>
    public required ImageShape Shape { get; init; }

    /// <summary>How many training images were used.</summary>
    public required int TrainCount { get; init; }

    /// <summary>How many test images were evaluated, or null without a test split.</summary>
    public int? TestCount { get; init; }

    /// <summary>The decoder trained.</summary>
    public required DecoderArchitecture Architecture { get; init; }

    /// <summary>The options it was trained with.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>What training measured (the same numbers as metrics.json).</summary>
    public required TrainingHistory History { get; init; }

    /// <summary>Figure 2: the targets (first row), then the reconstruction after each layer, top layer first.</summary>
    public required IReadOnlyList<ImageRow> TrainReconstructions { get; init; }

    /// <summary>The same for test images, through inference alone; null without a test split.</summary>
    public IReadOnlyList<ImageRow>? TestReconstructions { get; init; }

    /// <summary>Figure 4: the top layer's reconstruction of a few fixed training images after each half-step (Init, SL1, SW1, ...); the first row holds the targets.</summary>
    public required IReadOnlyList<ImageRow> Progress { get; init; }

    /// <summary>New images decoded from draws of the latent Gaussian.</summary>
    public required IReadOnlyList<float[]> Samples { get; init; }

    /// <summary>Per training datapoint, the mean squared error of its reconstruction through the whole decoder.</summary>
    public required double[] TrainErrors { get; init; }

    /// <summary>The same per test datapoint, or null.</summary>
    public double[]? TestErrors { get; init; }

    /// <summary>File names (relative to the report folder, or absolute) of the model and metrics written, for the summary's links.</summary>
    public IReadOnlyList<(string What, string Path)> OtherFiles { get; init; } = [];

    /// <summary>The command line that produced the report.</summary>
    public string CommandLine { get; init; } = string.Empty;
}
