namespace StarNet.Cli.Report;

/// <summary>
/// A grid of same-sized images in rows, for example the training targets in the first row and the
/// reconstruction after each layer below (like Figure 2 of the StarNet paper). Pixels are floats in [0, 1]
/// (clamped; NaN draws as 0), in CHW layout (HW for one channel); 1-channel tiles make a grayscale PNG,
/// 3-channel tiles an RGB one. Each tile is scaled up by a whole factor.
/// </summary>
/// <remarks>
/// Geometry: tile (row r, column c) has its top-left pixel at
/// x = LabelWidth + Gap + c * (Width * Scale + Gap), y = Gap + r * (Height * Scale + Gap), where LabelWidth
/// is 0 unless a row has a label. The image is Gap pixels wider than the last tile on every side, so gaps
/// surround every tile. Rows may hold different numbers of tiles; missing tiles show the gap colour.
/// </remarks>
public sealed class ImageGrid
{
    private readonly List<(string Label, float[][] Tiles)> rows = [];

    /// <summary>Creates an empty grid for tiles of one size.</summary>
    /// <param name="channels">1 (grayscale) or 3 (RGB).</param>
    /// <param name="height">Tile height in source pixels.</param>
    /// <param name="width">Tile width in source pixels.</param>
    public ImageGrid(int channels, int height, int width)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Tiles have 1 (grayscale) or 3 (RGB) channels.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Channels = channels;
        TileHeight = height;
        TileWidth = width;
    }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Tile height in source pixels.</summary>
    public int TileHeight { get; }

    /// <summary>Tile width in source pixels.</summary>
    public int TileWidth { get; }

    /// <summary>Pixels between tiles and around the grid (0 or more).</summary>
    public int Gap { get; init; } = 2;

    /// <summary>Output pixels per source pixel, in each direction (1 or more).</summary>
    public int Scale { get; init; } = 1;

    /// <summary>The brightness of the gaps and of missing tiles, in [0, 1] (white by default).</summary>
    public float GapValue { get; init; } = 1f;

    /// <summary>Image pixels per font pixel for row labels.</summary>
    public int TextScale { get; init; } = 1;

    /// <summary>The number of rows added.</summary>
    public int RowCount => rows.Count;

    /// <summary>Adds a row of tiles with no label.</summary>
    /// <param name="tiles">Each tile's pixels, <c>channels * height * width</c> floats in CHW order.</param>
    /// <returns>This grid.</returns>
    public ImageGrid AddRow(params float[][] tiles) => AddRow(string.Empty, tiles);

    /// <summary>Adds a row of tiles with a label drawn to its left (for example "layer 3").</summary>
    /// <param name="label">The row's label (empty for none).</param>
    /// <param name="tiles">Each tile's pixels, <c>channels * height * width</c> floats in CHW order.</param>
    /// <returns>This grid.</returns>
    public ImageGrid AddRow(string label, IEnumerable<float[]> tiles)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(tiles);
        float[][] row = [.. tiles];
        int expected = Channels * TileHeight * TileWidth;
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] is null || row[i].Length != expected)
            {
                throw new ArgumentException(
                    $"Tile {i} of row {rows.Count} has {row[i]?.Length ?? 0} values; {Channels}x{TileHeight}x{TileWidth} tiles need {expected}.",
                    nameof(tiles));
            }
        }

        rows.Add((label, row));
        return this;
    }

    /// <summary>The pixel of the top-left corner of tile (<paramref name="row"/>, <paramref name="column"/>) in the rendered image.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    /// <returns>The column and row of the tile's first pixel.</returns>
    public (int X, int Y) TileOrigin(int row, int column) =>
        (LabelWidth() + Gap + (column * ((TileWidth * Scale) + Gap)), Gap + (row * ((TileHeight * Scale) + Gap)));

    /// <summary>Draws the grid.</summary>
    /// <returns>A grayscale image for 1-channel tiles, RGB for 3-channel tiles.</returns>
    /// <exception cref="InvalidOperationException">No row has a tile.</exception>
    public RasterImage Render()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Gap);
        ArgumentOutOfRangeException.ThrowIfLessThan(Scale, 1);
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Tiles.Length);
        if (columns == 0)
        {
            throw new InvalidOperationException("The grid has no tiles to draw.");
        }

        (int right, int bottom) = TileOrigin(rows.Count, columns);
        byte gap = ToByte(GapValue);
        var image = new RasterImage(right, bottom, Channels, Rgb.Gray(gap));
        Rgb ink = gap < 128 ? Rgb.White : Rgb.Black;
        for (int r = 0; r < rows.Count; r++)
        {
            (string label, float[][] tiles) = rows[r];
            int rowTop = TileOrigin(r, 0).Y;
            BitmapFont.Draw(image, label, Gap, rowTop + (((TileHeight * Scale) - BitmapFont.MeasureHeight(TextScale)) / 2), ink, TextScale);
            for (int c = 0; c < tiles.Length; c++)
            {
                DrawTile(image, tiles[c], TileOrigin(r, c));
            }
        }

        return image;
    }

    /// <summary>Draws the grid and writes it as a PNG file, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    public void Save(string path) => PngWriter.Write(path, Render());

    private int LabelWidth()
    {
        int widest = rows.Count == 0 ? 0 : rows.Max(r => BitmapFont.MeasureWidth(r.Label, TextScale));
        return widest == 0 ? 0 : widest + Gap + 2;
    }

    private void DrawTile(RasterImage image, float[] tile, (int X, int Y) origin)
    {
        int plane = TileHeight * TileWidth;
        for (int y = 0; y < TileHeight; y++)
        {
            for (int x = 0; x < TileWidth; x++)
            {
                for (int dy = 0; dy < Scale; dy++)
                {
                    for (int dx = 0; dx < Scale; dx++)
                    {
                        Span<byte> pixel = image.Pixel(origin.X + (x * Scale) + dx, origin.Y + (y * Scale) + dy);
                        for (int ch = 0; ch < Channels; ch++)
                        {
                            pixel[ch] = ToByte(tile[(ch * plane) + (y * TileWidth) + x]);
                        }
                    }
                }
            }
        }
    }

    private static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f);
}
