using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class ChartTests
{
    [Fact]
    public void Loss_plot_with_log_y_saves_a_png_of_the_requested_size_with_every_series_drawn()
    {
        var plot = new LinePlot { Title = "Loss", XLabel = "epoch", YLabel = "loss", LogY = true };
        for (int layer = 0; layer < 3; layer++)
        {
            plot.AddSeries($"layer {layer + 1}", Enumerable.Range(1, 10).Select(e => ((double)e, Math.Pow(10, -layer) / e)));
        }

        using var folder = new TempFolder();
        string path = folder.File("loss.png");
        plot.Save(path, 640, 360);
        PngFile png = PngFile.Read(path);

        Assert.Equal((640, 360, 2), (png.Width, png.Height, png.ColorType));
        for (int layer = 0; layer < 3; layer++)
        {
            Rgb color = LinePlot.SeriesColor(layer);
            Assert.True(CountPixels(png, color) > 50, $"series {layer} is drawn");
        }
    }

    [Fact]
    public void A_constant_series_is_a_horizontal_line_across_the_plot_area()
    {
        var plot = new LinePlot();
        plot.AddSeries(string.Empty, [0.0, 5.0, 10.0], [2.0, 2.0, 2.0]);
        RasterImage image = plot.Render(400, 300);
        Rgb color = LinePlot.SeriesColor(0);

        List<(int X, int Y)> ink = [.. Pixels(image).Where(p => p.Color == color).Select(p => (p.X, p.Y))];
        Assert.InRange(ink.Max(p => p.Y) - ink.Min(p => p.Y), 0, 2 * (plot.TextScale + 1));
        Assert.True(ink.Max(p => p.X) - ink.Min(p => p.X) > 300, "the line spans the plot area");
    }

    [Fact]
    public void Points_a_log_axis_cannot_show_are_skipped_and_empty_plots_render()
    {
        var plot = new LinePlot { LogY = true };
        plot.AddSeries("with zeros", [1.0, 2.0, 3.0, 4.0], [1.0, 0.0, double.NaN, -5.0]);
        Assert.Equal(500, plot.Render().Height);
        Assert.Equal(200, new LinePlot { LogY = true }.Render(300, 200).Height);
        Assert.Throws<ArgumentException>(() => plot.AddSeries("bad", [1.0], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => plot.Render(40, 30));
    }

    [Fact]
    public void Histogram_bins_values_and_draws_bars()
    {
        var histogram = new Histogram([0.0, 0.1, 0.1, 0.5, 0.9, 1.0, double.NaN], bins: 5) { Title = "residual norms", XLabel = "norm", Label = "layer 2" };
        Assert.Equal([3L, 0, 1, 0, 2], histogram.Counts); // bins of width 0.2; 1.0, the maximum, falls in the last bin
        Assert.Equal(1, histogram.Ignored);
        Assert.Equal(0.0, histogram.Edges[0]);
        Assert.Equal(1.0, histogram.Edges[^1]);
        Assert.Equal("count", histogram.YLabel);

        using var folder = new TempFolder();
        string path = folder.File("hist.png");
        histogram.Save(path, 500, 300);
        PngFile png = PngFile.Read(path);
        Assert.Equal((500, 300), (png.Width, png.Height));
        Assert.True(CountPixels(png, histogram.Color) > 1000);
    }

    [Fact]
    public void Histogram_of_equal_values_puts_them_all_in_one_bin()
    {
        var histogram = new Histogram(Enumerable.Repeat(3.0, 7), bins: 4);
        Assert.Equal(7, histogram.Counts.Sum());
        Assert.Equal(1, histogram.Counts.Count(c => c > 0));
        Assert.True(histogram.Edges[0] < 3 && histogram.Edges[^1] > 3);
    }

    [Fact]
    public void Histogram_of_extreme_values_renders()
    {
        var histogram = new Histogram([-double.MaxValue, 0, double.MaxValue], bins: 3);
        Assert.Equal([1L, 1, 1], histogram.Counts);
        Assert.Equal(300, histogram.Render(400, 300).Height);
    }

    [Property(MaxTest = 100)]
    public Property Histogram_counts_every_finite_value_once() =>
        Prop.ForAll(ArbMap.Default.ArbFor<double[]>(), Gen.Choose(1, 30).ToArbitrary(), (values, bins) =>
        {
            var histogram = new Histogram(values, bins);
            Assert.Equal(values.Count(double.IsFinite), histogram.Counts.Sum());
            Assert.Equal(values.Length - values.Count(double.IsFinite), histogram.Ignored);
            Assert.Equal(bins + 1, histogram.Edges.Count);
            Assert.All(histogram.Edges.Zip(histogram.Edges.Skip(1)), p => Assert.True(p.First <= p.Second));
        });

    private static int CountPixels(PngFile png, Rgb color)
    {
        int count = 0;
        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
            {
                ReadOnlySpan<byte> p = png.Pixel(x, y);
                if (p[0] == color.R && p[1] == color.G && p[2] == color.B)
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static IEnumerable<(int X, int Y, Rgb Color)> Pixels(RasterImage image)
    {
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                byte[] p = image.Pixel(x, y).ToArray();
                yield return (x, y, new Rgb(p[0], p[1], p[2]));
            }
        }
    }
}
