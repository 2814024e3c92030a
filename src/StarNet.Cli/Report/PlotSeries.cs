namespace StarNet.Cli.Report;

/// <summary>A named sequence of (x, y) points, drawn as a line with a marker at each point.</summary>
/// <param name="Name">The legend text (no legend entry when empty).</param>
/// <param name="Points">The points in drawing order.</param>
public sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points);
