namespace StarNet.Cli.Report;

/// <summary>
/// A histogram of values in equal-width bins spanning their range, for example the residual norm of each
/// data point. Values that are not finite are counted in <see cref="Ignored"/> and not binned; the largest
/// value falls in the last bin.
/// </summary>
public sealed class Histogram : Chart
{
    /// <summary>Bins the values.</summary>
    /// <param name="values">The values.</param>
    /// <param name="bins">The number of bins (at least 1).</param>
    public Histogram(IEnumerable<double> values, int bins = 20)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double[] all = [.. values];
        double[] finite = [.. all.Where(double.IsFinite)];
        Ignored = all.Length - finite.Length;
        (double low, double high) = finite.Length == 0 ? (0.0, 1.0) : (finite.Min(), finite.Max());
        if (low == high)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        // Half the span, so that the arithmetic stays finite even for values near ±double.MaxValue.
        double halfSpan = (high / 2) - (low / 2);
        double halfWidth = halfSpan / bins;
        Edges = [.. Enumerable.Range(0, bins + 1).Select(i => i == bins ? high : Math.Min(high, low + (i * halfWidth) + (i * halfWidth)))];
        var counts = new long[bins];
        foreach (double v in finite)
        {
            double fraction = ((v / 2) - (low / 2)) / halfSpan;
            counts[Math.Clamp((int)(fraction * bins), 0, bins - 1)]++;
        }

        Counts = counts;
        YLabel = "count";
    }

    /// <summary>The bin edges, ascending; bin i is [Edges[i], Edges[i + 1]) (the last one closed).</summary>
    public IReadOnlyList<double> Edges { get; }

    /// <summary>The number of values in each bin.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>The number of values left out because they were NaN or infinite.</summary>
    public int Ignored { get; }

    /// <summary>Legend text for the bars (no legend when empty).</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>The bar colour.</summary>
    public Rgb Color { get; set; } = Rgb.Palette[0];

    /// <inheritdoc/>
    public override RasterImage Render(int width = DefaultWidth, int height = DefaultHeight)
    {
        var frame = new PlotFrame(width, height, PlotAxis.Linear(Edges[0], Edges[^1]), PlotAxis.Linear(0, Math.Max(1, Counts.Max())), this);
        Rgb outline = new((byte)(Color.R * 2 / 3), (byte)(Color.G * 2 / 3), (byte)(Color.B * 2 / 3));
        int baseline = (int)Math.Round(frame.PixelY(0));
        for (int i = 0; i < Counts.Count; i++)
        {
            if (Counts[i] == 0)
            {
                continue;
            }

            int left = (int)Math.Round(frame.PixelX(Edges[i]));
            int right = (int)Math.Round(frame.PixelX(Edges[i + 1]));
            int top = (int)Math.Round(frame.PixelY(Counts[i]));
            var bar = new PixelRect(left, top, Math.Max(1, right - left + 1), baseline - top + 1);
            frame.Image.FillRectangle(bar.Intersect(frame.DataClip), Color);
            if (bar.Width > 2)
            {
                DrawClippedOutline(frame, bar, outline);
            }
        }

        frame.RedrawFrame();
        frame.DrawLegend([(Label, Color)]);
        return frame.Image;
    }

    private static void DrawClippedOutline(PlotFrame frame, PixelRect bar, Rgb color)
    {
        PixelRect clip = frame.DataClip;
        frame.Image.FillRectangle((bar with { Height = 1 }).Intersect(clip), color);
        frame.Image.FillRectangle((bar with { Width = 1 }).Intersect(clip), color);
        frame.Image.FillRectangle((bar with { X = bar.Right - 1, Width = 1 }).Intersect(clip), color);
    }
}
