namespace StarNet.Cli.Report;

/// <summary>
/// A line chart of named series, for example the training loss per epoch of each layer, with an optional
/// base-10 logarithmic y axis. Points whose coordinates are not finite (and, on a log axis, points with
/// y &lt;= 0) are not drawn and break the line.
/// </summary>
public sealed class LinePlot : Chart
{
    /// <summary>Series with more points than this are drawn as plain lines, without markers.</summary>
    public const int MaxMarkedPoints = 50;

    private readonly List<PlotSeries> series = [];

    /// <summary>Whether the y axis is logarithmic (base 10).</summary>
    public bool LogY { get; set; }

    /// <summary>The series added so far.</summary>
    public IReadOnlyList<PlotSeries> Series => series;

    /// <summary>Adds a series.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="points">The points in drawing order.</param>
    /// <returns>This plot.</returns>
    public LinePlot AddSeries(string name, IEnumerable<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(points);
        series.Add(new PlotSeries(name, [.. points]));
        return this;
    }

    /// <summary>Adds a series from parallel coordinate arrays.</summary>
    /// <param name="name">Legend text.</param>
    /// <param name="xs">The x coordinates.</param>
    /// <param name="ys">The y coordinates, as many as <paramref name="xs"/>.</param>
    /// <returns>This plot.</returns>
    public LinePlot AddSeries(string name, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys)
    {
        if (xs.Length != ys.Length)
        {
            throw new ArgumentException($"Series '{name}' has {xs.Length} x values but {ys.Length} y values.", nameof(ys));
        }

        var points = new (double X, double Y)[xs.Length];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = (xs[i], ys[i]);
        }

        return AddSeries(name, points);
    }

    /// <inheritdoc/>
    public override RasterImage Render(int width = DefaultWidth, int height = DefaultHeight)
    {
        (double X, double Y)[] shown = [.. series.SelectMany(s => s.Points).Where(IsDrawable)];
        PlotAxis x = shown.Length == 0 ? PlotAxis.Linear(0, 1) : PlotAxis.Linear(shown.Min(p => p.X), shown.Max(p => p.X));
        PlotAxis y = (LogY, shown.Length) switch
        {
            (_, 0) => LogY ? PlotAxis.Log10(1, 10) : PlotAxis.Linear(0, 1),
            (true, _) => PlotAxis.Log10(shown.Min(p => p.Y), shown.Max(p => p.Y)),
            _ => PlotAxis.Linear(shown.Min(p => p.Y), shown.Max(p => p.Y)),
        };

        var frame = new PlotFrame(width, height, x, y, this);
        int thickness = Math.Max(1, TextScale);
        for (int i = 0; i < series.Count; i++)
        {
            DrawSeries(frame, series[i], SeriesColor(i), thickness);
        }

        frame.RedrawFrame();
        frame.DrawLegend(series.Select((s, i) => (s.Name, SeriesColor(i))));
        return frame.Image;
    }

    /// <summary>The colour of the series at <paramref name="index"/>.</summary>
    /// <param name="index">The series' position in <see cref="Series"/>.</param>
    /// <returns>A palette colour.</returns>
    public static Rgb SeriesColor(int index) => Rgb.Palette[index % Rgb.Palette.Count];

    private bool IsDrawable((double X, double Y) p) =>
        double.IsFinite(p.X) && double.IsFinite(p.Y) && (!LogY || p.Y > 0);

    private void DrawSeries(PlotFrame frame, PlotSeries s, Rgb color, int thickness)
    {
        PixelRect clip = frame.DataClip;
        (double X, double Y)? previous = null;
        foreach ((double X, double Y) p in s.Points)
        {
            if (!IsDrawable(p))
            {
                previous = null;
                continue;
            }

            double px = frame.PixelX(p.X), py = frame.PixelY(p.Y);
            if (previous is (double X, double Y) q)
            {
                frame.Image.DrawLine(q.X, q.Y, px, py, color, thickness, clip);
            }

            if (s.Points.Count <= MaxMarkedPoints)
            {
                int half = thickness + 1;
                var marker = new PixelRect((int)Math.Round(px) - half, (int)Math.Round(py) - half, (2 * half) + 1, (2 * half) + 1);
                frame.Image.FillRectangle(marker.Intersect(clip), color);
            }

            previous = (px, py);
        }
    }
}
