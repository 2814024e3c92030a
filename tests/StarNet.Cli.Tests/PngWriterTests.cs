using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class PngWriterTests
{
    private static readonly Arbitrary<RasterImage> Images =
        (from channels in Gen.Elements(1, 3)
         from width in Gen.Choose(1, 40)
         from height in Gen.Choose(1, 40)
         from pixels in Gen.Choose(0, 255).Select(v => (byte)v).ArrayOf(width * height * channels)
         select MakeImage(width, height, channels, pixels))
        .ToArbitrary();

    [Property(MaxTest = 50)]
    public Property Decoded_pixels_equal_the_encoded_ones() =>
        Prop.ForAll(Images, image =>
        {
            PngFile png = PngFile.Decode(PngWriter.Encode(image));
            Assert.Equal(image.Width, png.Width);
            Assert.Equal(image.Height, png.Height);
            Assert.Equal(8, png.BitDepth);
            Assert.Equal(image.Channels == 1 ? 0 : 2, png.ColorType);
            Assert.Equal(["IHDR", "IDAT", "IEND"], png.ChunkTypes);
            Assert.Equal(image.Pixels, png.Pixels);
        });

    [Fact]
    public void Write_replaces_a_file_atomically_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("image.png");
        PngWriter.Write(path, new RasterImage(3, 2, 1, Rgb.Black));
        PngWriter.Write(path, new RasterImage(5, 4, 3, Rgb.White));

        PngFile png = PngFile.Read(path);
        Assert.Equal((5, 4, 2), (png.Width, png.Height, png.ColorType));
        Assert.All(png.Pixels, b => Assert.Equal(255, b));
        Assert.Equal(["image.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    private static RasterImage MakeImage(int width, int height, int channels, byte[] pixels)
    {
        var image = new RasterImage(width, height, channels, Rgb.Black);
        pixels.CopyTo(image.Pixels, 0);
        return image;
    }
}
