using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class BitmapFontTests
{
    [Fact]
    public void Every_printable_character_but_space_has_ink()
    {
        for (char c = '!'; c <= '~'; c++)
        {
            Assert.True(HasInk(c), $"'{c}' has ink");
        }

        Assert.False(HasInk(' '));
    }

    private static bool HasInk(char c) =>
        Enumerable.Range(0, BitmapFont.GlyphWidth).Any(x => Enumerable.Range(0, BitmapFont.GlyphHeight).Any(y => BitmapFont.IsSet(c, x, y)));

    [Fact]
    public void Unknown_characters_draw_as_a_question_mark()
    {
        for (int x = 0; x < BitmapFont.GlyphWidth; x++)
        {
            for (int y = 0; y < BitmapFont.GlyphHeight; y++)
            {
                Assert.Equal(BitmapFont.IsSet('?', x, y), BitmapFont.IsSet('ε', x, y));
            }
        }
    }

    [Fact]
    public void Text_is_drawn_at_scale_within_its_measured_box()
    {
        var image = new RasterImage(60, 30, 1, Rgb.White);
        BitmapFont.Draw(image, "L1", 3, 4, Rgb.Black, 2);
        int width = BitmapFont.MeasureWidth("L1", 2);
        Assert.Equal(((2 * 6) - 1) * 2, width);

        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                bool inside = x >= 3 && x < 3 + width && y >= 4 && y < 4 + BitmapFont.MeasureHeight(2);
                if (!inside)
                {
                    Assert.Equal(255, image.Pixel(x, y)[0]);
                }
            }
        }

        // 'L' is a full-height left column and a full-width bottom row.
        Assert.Equal(0, image.Pixel(3, 4)[0]);
        Assert.Equal(0, image.Pixel(4, 5)[0]);
        Assert.Equal(0, image.Pixel(3 + 9, 4 + 13)[0]);
        Assert.Equal(255, image.Pixel(3 + 9, 4)[0]);
    }
}
