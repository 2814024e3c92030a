using StarNet.Data;
using StarNet.Training;

namespace StarNet.Cli.Report;

/// <summary>
/// Collects the rows of the report's progress picture (the paper's Figure 4) while training runs: for a few fixed
/// training images, the targets, then the top layer's reconstruction at initialisation and after every half-step,
/// from the snapshots the trainer attaches to its progress reports (<see cref="TrainingOptions.SnapshotRows"/>).
/// Every report is passed on to <paramref name="inner"/>.
/// </summary>
/// <param name="inner">The progress display.</param>
/// <param name="train">The training split.</param>
/// <param name="rows">The training rows followed (the same as <see cref="TrainingOptions.SnapshotRows"/>).</param>
internal sealed class ProgressSnapshots(IProgress<TrainingProgress> inner, DatasetSplit train, IReadOnlyList<int> rows) : IProgress<TrainingProgress>
{
    private readonly List<ImageRow> collected = [new("target", [.. rows.Select(r => train.GetImage(r).ToArray())])];
    private readonly HashSet<(int Epoch, TrainingStep Step)> seen = [];

    /// <summary>The rows so far: the targets, <c>Init</c>, <c>SL1</c>, <c>SW1</c>, ... and <c>end</c> for a closing latent solve.</summary>
    public IReadOnlyList<ImageRow> Rows => collected.Count > 1 ? collected : [];

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        inner.Report(value);
        TrainingStepMetrics m = value.Metrics;
        if (m.Layer != value.LayerCount)
        {
            return;
        }

        if (value.InitialSnapshot is { } initial)
        {
            collected.Add(new ImageRow("Init", Split(initial)));
        }

        if (value.Snapshot is { } snapshot)
        {
            string label = seen.Add((m.Epoch, m.Step)) ? $"{(m.Step == TrainingStep.Latents ? "SL" : "SW")}{m.Epoch}" : "end";
            collected.Add(new ImageRow(label, Split(snapshot)));
        }
    }

    private float[][] Split(double[] values)
    {
        int d = train.Dimension;
        return [.. Enumerable.Range(0, values.Length / d).Select(r => values.AsSpan(r * d, d).ToArray().Select(v => (float)v).ToArray())];
    }
}
