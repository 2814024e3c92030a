namespace StarNet.Cli.Report;

/// <summary>
/// The furniture shared by every chart: a white image with a framed plot area, grid lines and tick marks at
/// the axes' ticks, tick labels, axis labels (the y label rotated), a title, and on request a legend. Charts
/// draw their data inside <see cref="DataClip"/> using <see cref="PixelX"/> and <see cref="PixelY"/>.
/// </summary>
public sealed class PlotFrame
{
    private const int Padding = 10;
    private const int TickLength = 5;
    private const int MinorTickLength = 3;

    /// <summary>Lays out and draws the frame.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="x">The horizontal axis.</param>
    /// <param name="y">The vertical axis.</param>
    /// <param name="labels">The chart whose title, axis labels and text scale to draw (empty labels are left out).</param>
    /// <exception cref="ArgumentException">The image is too small for the labels and a plot area.</exception>
    public PlotFrame(int width, int height, PlotAxis x, PlotAxis y, Chart labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(labels);
        X = x;
        Y = y;
        TextScale = labels.TextScale;
        ArgumentOutOfRangeException.ThrowIfLessThan(TextScale, 1);
        int textScale = TextScale;
        Image = new RasterImage(width, height, 3, Rgb.White);

        int line = BitmapFont.MeasureHeight(textScale);
        int titleScale = textScale + 1;
        int top = Padding + (labels.Title.Length > 0 ? BitmapFont.MeasureHeight(titleScale) + Padding : 0);
        int yTickWidth = y.Ticks.Max(t => BitmapFont.MeasureWidth(y.Format(t), textScale));
        int left = Padding + (labels.YLabel.Length > 0 ? line + Padding : 0) + yTickWidth + TickLength + 4;
        int bottom = Padding + (labels.XLabel.Length > 0 ? line + Padding : 0) + line + TickLength + 4;
        int right = Padding + (BitmapFont.MeasureWidth(x.Format(x.Ticks[^1]), textScale) / 2);
        Area = new PixelRect(left, top, width - left - right, height - top - bottom);
        if (Area.Width < 16 || Area.Height < 16)
        {
            throw new ArgumentException($"A {width}x{height} image is too small for this chart's labels.");
        }

        DrawGridAndTicks();
        DrawLabels(labels, titleScale);
    }

    /// <summary>The image being drawn.</summary>
    public RasterImage Image { get; }

    /// <summary>The plot area, including its one-pixel frame.</summary>
    public PixelRect Area { get; }

    /// <summary>The inside of the frame: where data may be drawn.</summary>
    public PixelRect DataClip => new(Area.X + 1, Area.Y + 1, Area.Width - 2, Area.Height - 2);

    /// <summary>The horizontal axis.</summary>
    public PlotAxis X { get; }

    /// <summary>The vertical axis.</summary>
    public PlotAxis Y { get; }

    /// <summary>Image pixels per font pixel for labels.</summary>
    public int TextScale { get; }

    /// <summary>The image column of a value on the x axis (may lie outside the area).</summary>
    /// <param name="value">A data value.</param>
    /// <returns>The column, fractional.</returns>
    public double PixelX(double value) => Area.X + (X.Fraction(value) * (Area.Width - 1));

    /// <summary>The image row of a value on the y axis (may lie outside the area; NaN if the axis cannot show it).</summary>
    /// <param name="value">A data value.</param>
    /// <returns>The row, fractional.</returns>
    public double PixelY(double value) => Area.Bottom - 1 - (Y.Fraction(value) * (Area.Height - 1));

    /// <summary>Draws a legend box in the top-right corner of the plot area.</summary>
    /// <param name="entries">Each entry's text and colour, top to bottom; entries with empty names are skipped.</param>
    public void DrawLegend(IEnumerable<(string Name, Rgb Color)> entries)
    {
        (string Name, Rgb Color)[] shown = [.. entries.Where(e => e.Name.Length > 0)];
        if (shown.Length == 0)
        {
            return;
        }

        int line = BitmapFont.MeasureHeight(TextScale);
        int swatch = 6 * TextScale;
        int rowHeight = line + (2 * TextScale);
        int boxWidth = shown.Max(e => BitmapFont.MeasureWidth(e.Name, TextScale)) + swatch + (4 * TextScale) + 12;
        int boxHeight = (shown.Length * rowHeight) + 8;
        var box = new PixelRect(Area.Right - boxWidth - 6, Area.Y + 6, boxWidth, boxHeight);
        Image.FillRectangle(box, Rgb.White);
        Image.DrawRectangle(box, Rgb.DarkGray);
        for (int i = 0; i < shown.Length; i++)
        {
            int top = box.Y + 5 + (i * rowHeight);
            Image.FillRectangle(new PixelRect(box.X + 6, top + (line / 2) - TextScale, swatch, 2 * TextScale), shown[i].Color);
            BitmapFont.Draw(Image, shown[i].Name, box.X + 6 + swatch + (4 * TextScale), top, Rgb.Black, TextScale);
        }
    }

    /// <summary>Draws the frame again, over data that touched it.</summary>
    public void RedrawFrame() => Image.DrawRectangle(Area, Rgb.Black);

    private void DrawGridAndTicks()
    {
        foreach (double t in X.Ticks)
        {
            int px = (int)Math.Round(PixelX(t));
            Image.FillRectangle(new PixelRect(px, Area.Y, 1, Area.Height), Rgb.LightGray);
            Image.FillRectangle(new PixelRect(px, Area.Bottom, 1, TickLength), Rgb.Black);
        }

        foreach (double t in Y.Ticks)
        {
            int py = (int)Math.Round(PixelY(t));
            Image.FillRectangle(new PixelRect(Area.X, py, Area.Width, 1), Rgb.LightGray);
            Image.FillRectangle(new PixelRect(Area.X - TickLength, py, TickLength, 1), Rgb.Black);
        }

        foreach (double t in Y.MinorTicks)
        {
            int py = (int)Math.Round(PixelY(t));
            Image.FillRectangle(new PixelRect(Area.X - MinorTickLength, py, MinorTickLength, 1), Rgb.Black);
        }

        RedrawFrame();
    }

    private void DrawLabels(Chart labels, int titleScale)
    {
        int line = BitmapFont.MeasureHeight(TextScale);
        foreach (double t in X.Ticks)
        {
            string text = X.Format(t);
            int px = (int)Math.Round(PixelX(t));
            BitmapFont.Draw(Image, text, px - (BitmapFont.MeasureWidth(text, TextScale) / 2), Area.Bottom + TickLength + 4, Rgb.Black, TextScale);
        }

        foreach (double t in Y.Ticks)
        {
            string text = Y.Format(t);
            int py = (int)Math.Round(PixelY(t));
            BitmapFont.Draw(Image, text, Area.X - TickLength - 4 - BitmapFont.MeasureWidth(text, TextScale), py - (line / 2), Rgb.Black, TextScale);
        }

        int centreX = Area.X + (Area.Width / 2);
        if (labels.Title.Length > 0)
        {
            BitmapFont.Draw(Image, labels.Title, centreX - (BitmapFont.MeasureWidth(labels.Title, titleScale) / 2), Padding, Rgb.Black, titleScale);
        }

        if (labels.XLabel.Length > 0)
        {
            BitmapFont.Draw(Image, labels.XLabel, centreX - (BitmapFont.MeasureWidth(labels.XLabel, TextScale) / 2), Image.Height - Padding - line, Rgb.Black, TextScale);
        }

        if (labels.YLabel.Length > 0)
        {
            int centreY = Area.Y + (Area.Height / 2);
            BitmapFont.DrawVertical(Image, labels.YLabel, Padding, centreY + (BitmapFont.MeasureWidth(labels.YLabel, TextScale) / 2), Rgb.Black, TextScale);
        }
    }
}
