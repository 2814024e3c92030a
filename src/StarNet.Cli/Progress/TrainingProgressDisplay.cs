using System.Diagnostics;
using System.Globalization;
using StarNet.Training;

namespace StarNet.Cli.Progress;

/// <summary>
/// Shows training progress after every half-step: a bar over all expected steps, the layer (i/K, counted from the
/// latent code as in the paper, trained from K down), the epoch, the step (SL = latents, SW = weights) and the
/// losses. On a terminal one line is redrawn; otherwise each step is a plain line.
/// </summary>
internal sealed class TrainingProgressDisplay : IProgress<TrainingProgress>, IDisposable
{
    private readonly StatusLine line;
    private readonly bool isTerminal;
    private readonly int epochs;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int currentLayer = -1;
    private int stepsInLayer;

    /// <summary>Creates the display.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="isTerminal">True to redraw one line.</param>
    /// <param name="epochsPerLayer">The most epochs per layer, for the bar and the "epoch e/E" text.</param>
    public TrainingProgressDisplay(TextWriter output, bool isTerminal, int epochsPerLayer)
    {
        line = new StatusLine(output, isTerminal);
        this.isTerminal = isTerminal;
        epochs = epochsPerLayer;
    }

    /// <summary>The text shown for one report (without the bar).</summary>
    /// <param name="p">The report.</param>
    /// <param name="epochsPerLayer">The most epochs per layer.</param>
    /// <returns>One line.</returns>
    public static string Describe(TrainingProgress p, int epochsPerLayer)
    {
        TrainingStepMetrics m = p.Metrics;
        string step = m.Step == TrainingStep.Latents ? "SL (latents)" : "SW (weights)";
        string network = double.IsNaN(m.NetworkMse) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  network mse {m.NetworkMse:0.00000}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"layer {m.Layer}/{p.LayerCount}  epoch {m.Epoch}/{epochsPerLayer}  {step}  layer mse {m.LayerMse:0.00000}{network}  {m.Seconds:0.00} s");
    }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        string text;
        if (!isTerminal)
        {
            text = Describe(value, epochs);
        }
        else
        {
            // Layers are trained from K down to 1; each runs at most 2 * epochs half-steps plus a closing latent solve.
            int perLayer = (2 * epochs) + 1;
            int layersDone = value.LayerCount - value.Metrics.Layer;
            double fraction = (layersDone + Math.Min(1.0, StepsInLayer(value) / (double)perLayer)) / value.LayerCount;

            // Compact, so that the redrawn line fits an 80-column terminal (a wrapped line cannot be redrawn).
            TrainingStepMetrics m = value.Metrics;
            string network = double.IsNaN(m.NetworkMse) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" net {m.NetworkMse:0.00000}");
            text = string.Create(
                CultureInfo.InvariantCulture,
                $"{StatusLine.Bar(fraction)} layer {m.Layer}/{value.LayerCount} epoch {m.Epoch}/{epochs} {(m.Step == TrainingStep.Latents ? "SL" : "SW")} mse {m.LayerMse:0.00000}{network} {clock.Elapsed:m\\:ss}");
        }

        line.Update(text, milestone: true);
    }

    /// <inheritdoc/>
    public void Dispose() => line.Dispose();

    private int StepsInLayer(TrainingProgress value)
    {
        if (value.Metrics.Layer != currentLayer)
        {
            currentLayer = value.Metrics.Layer;
            stepsInLayer = 0;
        }

        return ++stepsInLayer;
    }
}
