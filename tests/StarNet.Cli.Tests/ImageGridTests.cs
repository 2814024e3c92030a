using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class ImageGridTests
{
    private const int TileHeight = 3;
    private const int TileWidth = 4;

    [Fact]
    public void Grayscale_tiles_land_at_their_positions_with_gaps_between()
    {
        var grid = new ImageGrid(1, TileHeight, TileWidth) { Gap = 2, Scale = 3, GapValue = 0.5f };
        grid.AddRow(Constant(0f), Constant(1f), Constant(0.2f));
        grid.AddRow(Constant(1f), Constant(0f));

        using var folder = new TempFolder();
        string path = folder.File("grid.png");
        grid.Save(path);
        PngFile png = PngFile.Read(path);

        Assert.Equal(0, png.ColorType);
        Assert.Equal(2 + (3 * ((TileWidth * 3) + 2)), png.Width);
        Assert.Equal(2 + (2 * ((TileHeight * 3) + 2)), png.Height);
        byte[,] expected = { { 0, 255, 51 }, { 255, 0, 128 } }; // the missing tile (1, 2) shows the gap colour
        var inTile = new bool[png.Width, png.Height];
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                (int x0, int y0) = grid.TileOrigin(r, c);
                Assert.Equal((2 + (c * 14), 2 + (r * 11)), (x0, y0));
                for (int y = y0; y < y0 + (TileHeight * 3); y++)
                {
                    for (int x = x0; x < x0 + (TileWidth * 3); x++)
                    {
                        Assert.Equal(expected[r, c], png.Pixel(x, y)[0]);
                        inTile[x, y] = true;
                    }
                }
            }
        }

        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
            {
                if (!inTile[x, y])
                {
                    Assert.Equal(128, png.Pixel(x, y)[0]);
                }
            }
        }
    }

    [Fact]
    public void Each_source_pixel_becomes_a_scale_by_scale_block()
    {
        float[] ramp = [.. Enumerable.Range(0, TileHeight * TileWidth).Select(i => i / 11f)];
        var grid = new ImageGrid(1, TileHeight, TileWidth) { Gap = 1, Scale = 2 };
        PngFile png = PngFile.Decode(PngWriter.Encode(grid.AddRow(ramp).Render()));

        for (int y = 0; y < TileHeight * 2; y++)
        {
            for (int x = 0; x < TileWidth * 2; x++)
            {
                byte want = (byte)MathF.Round(ramp[((y / 2) * TileWidth) + (x / 2)] * 255f);
                Assert.Equal(want, png.Pixel(1 + x, 1 + y)[0]);
            }
        }
    }

    [Fact]
    public void Rgb_tiles_are_read_channel_plane_by_channel_plane()
    {
        int plane = TileHeight * TileWidth;
        float[] chw = new float[3 * plane];
        chw.AsSpan(0, plane).Fill(1f);          // red plane
        chw.AsSpan(plane, plane).Fill(0f);      // green plane
        chw.AsSpan(2 * plane, plane).Fill(0.5f); // blue plane
        chw[(2 * plane) + 5] = 1f;              // blue at (x 1, y 1)

        PngFile png = PngFile.Decode(PngWriter.Encode(new ImageGrid(3, TileHeight, TileWidth) { Gap = 0 }.AddRow(chw).Render()));

        Assert.Equal(2, png.ColorType);
        Assert.Equal((TileWidth, TileHeight), (png.Width, png.Height));
        Assert.Equal([255, 0, 128], png.Pixel(0, 0).ToArray());
        Assert.Equal([255, 0, 255], png.Pixel(1, 1).ToArray());
    }

    [Fact]
    public void Values_are_clamped_and_nan_is_black()
    {
        float[] tile = [-3f, 2f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, 1f, 0f, 0f, 0f, 0f, 0f];
        PngFile png = PngFile.Decode(PngWriter.Encode(new ImageGrid(1, TileHeight, TileWidth) { Gap = 0 }.AddRow(tile).Render()));
        Assert.Equal([0, 255, 0, 255, 0, 128, 255, 0], png.Pixels[..8]);
    }

    [Fact]
    public void Row_labels_shift_the_tiles_right_and_are_drawn()
    {
        var grid = new ImageGrid(1, TileHeight, TileWidth) { Gap = 2 };
        grid.AddRow("target", [Constant(0f)]);
        grid.AddRow("layer 1", [Constant(0f)]);
        RasterImage image = grid.Render();

        int labelWidth = BitmapFont.MeasureWidth("layer 1", 1) + 2 + 2;
        Assert.Equal((labelWidth + 2, 2), grid.TileOrigin(0, 0));
        Assert.Contains(Enumerable.Range(0, labelWidth).SelectMany(x => Enumerable.Range(0, image.Height).Select(y => image.Pixel(x, y)[0])), v => v == 0);
    }

    [Fact]
    public void Rejects_tiles_of_the_wrong_size_and_empty_grids()
    {
        var grid = new ImageGrid(1, TileHeight, TileWidth);
        Assert.Throws<ArgumentException>(() => grid.AddRow(new float[5]));
        Assert.Throws<InvalidOperationException>(() => grid.Render());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageGrid(2, 1, 1));
    }

    private static float[] Constant(float value) => [.. Enumerable.Repeat(value, TileHeight * TileWidth)];
}
