namespace StarNet.Cli.Report;

/// <summary>What every chart has: a title, axis labels, a text size, rendering and saving as PNG.</summary>
public abstract class Chart
{
    /// <summary>The default image width in pixels.</summary>
    public const int DefaultWidth = 800;

    /// <summary>The default image height in pixels.</summary>
    public const int DefaultHeight = 500;

    /// <summary>The title above the plot area (left out when empty).</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>The label under the x axis (left out when empty).</summary>
    public string XLabel { get; set; } = string.Empty;

    /// <summary>The label beside the y axis, reading upwards (left out when empty).</summary>
    public string YLabel { get; set; } = string.Empty;

    /// <summary>Image pixels per font pixel for labels (the title is drawn one step larger).</summary>
    public int TextScale { get; set; } = 2;

    /// <summary>Draws the chart.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>An RGB image.</returns>
    public abstract RasterImage Render(int width = DefaultWidth, int height = DefaultHeight);

    /// <summary>Draws the chart and writes it as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public void Save(string path, int width = DefaultWidth, int height = DefaultHeight) =>
        PngWriter.Write(path, Render(width, height));
}
