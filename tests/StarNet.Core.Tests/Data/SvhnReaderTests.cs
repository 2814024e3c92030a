using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.MatV5Writer;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class SvhnReaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(false, false, 5)]
    [InlineData(true, false, 5)]
    [InlineData(false, true, 7)]
    [InlineData(true, true, 7)]
    [InlineData(true, true, 1)]
    public void Official_layout_round_trips(bool compress, bool labelsAsDouble, int count)
    {
        var random = new Random(count);
        byte[] images = RandomBytes(random, count * 3072); // HWC x N in column-major order
        double[] digits = [.. Enumerable.Range(0, count).Select(i => (double)(1 + (i % 10)))];
        digits[0] = 10;
        MatVar y = labelsAsDouble
            ? new MatVar("y", ClassDouble, [count, 1], MiDouble, Doubles(digits))
            : new MatVar("y", ClassDouble, [count, 1], MiUInt8, [.. digits.Select(d => (byte)d)]);
        int[] dims = count == 1 ? [32, 32, 3] : [32, 32, 3, count];
        string path = folder.File("train_32x32.mat");
        File.WriteAllBytes(path, Build(compress, new MatVar("X", ClassUInt8, dims, MiUInt8, images), y));

        DatasetSplit split = SvhnReader.Read(path);

        Assert.Equal(new ImageShape(3, 32, 32), split.Shape);
        Assert.Equal(count, split.Count);
        Assert.Equal(0, split.Labels[0]);
        Assert.Equal(digits.Skip(1).Select(d => (byte)(d % 10)), split.Labels.Skip(1));
        for (int n = 0; n < count; n++)
        {
            foreach ((int c, int h, int w) in new[] { (0, 0, 0), (1, 5, 17), (2, 31, 30), (0, 31, 0), (2, 0, 31) })
            {
                byte expected = images[(n * 3072) + h + (32 * (w + (32 * c)))];
                Assert.Equal(expected / 255f, split.GetImage(n)[split.Shape.IndexOf(c, h, w)]);
            }
        }
    }

    [Fact]
    public void Double_images_any_variable_order_and_extra_variables_are_read()
    {
        double[] pixels = [.. Enumerable.Range(0, 2 * 2 * 1 * 3).Select(i => (double)(i * 10))];
        string path = folder.File("small.mat");
        File.WriteAllBytes(path, Build(
            true,
            new MatVar("y", ClassUInt8, [1, 3], MiUInt8, [10, 1, 2]),
            new MatVar("note", ClassChar, [1, 2], MiUInt8, [65, 66]),
            new MatVar("X", ClassDouble, [2, 2, 1, 3], MiDouble, Doubles(pixels))));

        DatasetSplit split = SvhnReader.Read(path, maxCount: 2);

        Assert.Equal(new ImageShape(1, 2, 2), split.Shape);
        Assert.Equal(new byte[] { 0, 1 }, split.Labels);

        // Column-major 2x2: stored (h,w) order is (0,0), (1,0), (0,1), (1,1).
        Assert.Equal(new[] { 0f, 20f, 10f, 30f, 40f, 60f, 50f, 70f }.Select(v => v / 255f), split.Pixels);
    }

    [Fact]
    public void Wrong_header_is_rejected()
    {
        string path = folder.File("not.mat");
        File.WriteAllBytes(path, new byte[200]);
        AssertMalformed(path, () => SvhnReader.Read(path), "MAT-file");
    }

    [Fact]
    public void Missing_labels_variable_is_rejected()
    {
        string path = folder.File("nolabels.mat");
        File.WriteAllBytes(path, Build(false, new MatVar("X", ClassUInt8, [2, 2, 1, 1], MiUInt8, [1, 2, 3, 4])));
        AssertMalformed(path, () => SvhnReader.Read(path), "no variable 'y'");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Label_count_different_from_image_count_is_rejected(bool compress)
    {
        string path = folder.File("mismatch.mat");
        File.WriteAllBytes(path, Build(
            compress,
            new MatVar("X", ClassUInt8, [2, 2, 1, 3], MiUInt8, new byte[12]),
            new MatVar("y", ClassUInt8, [2, 1], MiUInt8, [1, 2])));
        AssertMalformed(path, () => SvhnReader.Read(path), "3 images");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dimensions_that_do_not_multiply_out_are_rejected(bool compress)
    {
        string path = folder.File("dims.mat");
        File.WriteAllBytes(path, Build(
            compress,
            new MatVar("X", ClassUInt8, [2, 2, 1, 3], MiUInt8, new byte[11]),
            new MatVar("y", ClassUInt8, [3, 1], MiUInt8, [1, 2, 3])));
        AssertMalformed(path, () => SvhnReader.Read(path), "need 12 bytes");
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        byte[] bytes = Build(false, new MatVar("X", ClassUInt8, [32, 32, 3, 2], MiUInt8, new byte[6144]), new MatVar("y", ClassUInt8, [2, 1], MiUInt8, [1, 2]));
        string path = folder.File("truncated.mat");
        File.WriteAllBytes(path, bytes[..4000]);
        AssertMalformed(path, () => SvhnReader.Read(path), "truncated");
    }

    [Fact]
    public void Truncated_compressed_element_is_rejected()
    {
        var random = new Random(9);
        byte[] bytes = Build(true, new MatVar("X", ClassUInt8, [32, 32, 3, 4], MiUInt8, RandomBytes(random, 4 * 3072)), new MatVar("y", ClassUInt8, [4, 1], MiUInt8, [1, 2, 3, 4]));
        string path = folder.File("truncated-z.mat");

        // Keep the compressed element's tag (so its size claims more than is left) and part of its data.
        File.WriteAllBytes(path, bytes[..6000]);
        AssertMalformed(path, () => SvhnReader.Read(path));
    }

    [Fact]
    public void Labels_outside_one_to_ten_are_rejected()
    {
        string path = folder.File("labels.mat");
        File.WriteAllBytes(path, Build(
            false,
            new MatVar("X", ClassUInt8, [1, 1, 1, 2], MiUInt8, [1, 2]),
            new MatVar("y", ClassDouble, [2, 1], MiDouble, Doubles([3, 11]))));
        AssertMalformed(path, () => SvhnReader.Read(path), "label y(2)");
    }

    [Fact]
    public void Small_data_elements_are_read()
    {
        // A 1x1 image and one uint8 label: both real parts fit in the small-data-element format.
        string path = folder.File("tiny.mat");
        File.WriteAllBytes(path, Build(
            false,
            new MatVar("X", ClassUInt8, [1, 1, 1], MiUInt8, [255]),
            new MatVar("y", ClassUInt8, [1, 1], MiUInt8, [4])));

        DatasetSplit split = SvhnReader.Read(path);

        Assert.Equal(new[] { 1f }, split.Pixels);
        Assert.Equal(new byte[] { 4 }, split.Labels);
    }
}
