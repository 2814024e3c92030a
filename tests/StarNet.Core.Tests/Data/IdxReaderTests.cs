using FsCheck.Xunit;
using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Property(MaxTest = 40)]
    public void Images_and_labels_round_trip(byte countSeed, byte rowsSeed, byte columnsSeed, int seed, bool gzip)
    {
        int count = countSeed % 12;
        int rows = 1 + (rowsSeed % 9);
        int columns = 1 + (columnsSeed % 9);
        var random = new Random(seed);
        byte[] pixels = RandomBytes(random, count * rows * columns);
        byte[] labels = RandomBytes(random, count);
        string images = folder.File($"images-{seed}-{gzip}");
        string labelFile = folder.File($"labels-{seed}-{gzip}");
        Write(images, Idx(pixels, count, rows, columns), gzip);
        Write(labelFile, Idx(labels, count), gzip);

        DatasetSplit split = IdxReader.ReadSplit(images, labelFile);

        Assert.Equal(new ImageShape(1, rows, columns), split.Shape);
        Assert.Equal(count, split.Count);
        Assert.Equal(labels, split.Labels);
        Assert.Equal(Scaled(pixels), split.Pixels);
    }

    [Fact]
    public void Max_count_takes_the_first_images()
    {
        var random = new Random(1);
        byte[] pixels = RandomBytes(random, 10 * 4);
        string path = folder.File("images.gz");
        Write(path, Idx(pixels, 10, 2, 2), gzip: true);

        (float[] read, ImageShape shape) = IdxReader.ReadImages(path, maxCount: 3);

        Assert.Equal(new ImageShape(1, 2, 2), shape);
        Assert.Equal(Scaled(pixels)[..12], read);
        Assert.Equal(new byte[] { 7, 8 }, IdxReader.ReadLabels(WriteLabels([7, 8, 9]), maxCount: 2));
    }

    [Fact]
    public void Gzip_is_detected_by_magic_bytes_not_by_name()
    {
        byte[] pixels = [0, 51, 255, 102];
        string gzipNamedRaw = folder.File("images.raw");
        string rawNamedGzip = folder.File("images.gz");
        Write(gzipNamedRaw, Idx(pixels, 1, 2, 2), gzip: true);
        Write(rawNamedGzip, Idx(pixels, 1, 2, 2), gzip: false);

        Assert.Equal(new[] { 0f, 0.2f, 1f, 0.4f }, IdxReader.ReadImages(gzipNamedRaw).Pixels);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 0.4f }, IdxReader.ReadImages(rawNamedGzip).Pixels);
    }

    [Fact]
    public void Transposed_images_are_turned_back()
    {
        // One stored 2x3 matrix (rows x columns) is the 3x2 image read column by column.
        byte[] stored = [1, 2, 3, 4, 5, 6];
        string path = folder.File("emnist");
        Write(path, Idx(stored, 1, 2, 3), gzip: false);

        (float[] pixels, ImageShape shape) = IdxReader.ReadImages(path, transpose: true);

        Assert.Equal(new ImageShape(1, 3, 2), shape);
        Assert.Equal(Scaled([1, 4, 2, 5, 3, 6]), pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Wrong_magic_is_rejected(bool gzip)
    {
        byte[] bytes = Idx([1, 2, 3, 4], 1, 2, 2);
        bytes[0] = 0x12;
        string path = folder.File("bad-magic");
        Write(path, bytes, gzip);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "magic");
    }

    [Fact]
    public void Labels_file_given_as_images_is_rejected()
    {
        string path = WriteLabels([1, 2, 3]);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "dimensions");
    }

    [Fact]
    public void Unsupported_element_type_is_rejected()
    {
        byte[] bytes = Idx([1, 2, 3, 4], 1, 2, 2);
        bytes[2] = 0x0D;
        string path = folder.File("floats");
        Write(path, bytes, gzip: false);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "not supported");
    }

    [Fact]
    public void Raw_header_claiming_more_than_the_file_holds_is_rejected()
    {
        string path = folder.File("claims-too-much");
        Write(path, Idx(new byte[40], 1000, 28, 28)[..56], gzip: false);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "holds only");
    }

    [Fact]
    public void Raw_file_with_trailing_data_is_rejected()
    {
        string path = folder.File("trailing");
        Write(path, Idx(new byte[9], 2, 2, 2), gzip: false);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "after the end");
    }

    [Fact]
    public void Gzip_header_claiming_more_than_deflate_can_hold_fails_before_allocating()
    {
        // 60000 x 4096 x 4096 bytes could never come out of a gzip file of a few dozen bytes.
        string path = folder.File("huge.gz");
        Write(path, Idx([], 60000, 4096, 4096), gzip: true);
        AssertMalformed(path, () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Truncated_gzip_fails_with_a_clear_message()
    {
        byte[] gz = Gzip(Idx(RandomBytes(new Random(3), 50 * 64), 50, 8, 8));
        string path = folder.File("truncated.gz");
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);
        var error = AssertMalformed(path, () => IdxReader.ReadImages(path));
        Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Gzip_whose_data_ends_early_fails_with_a_clear_message()
    {
        // A complete gzip stream whose content is shorter than the header says.
        string path = folder.File("short-content.gz");
        Write(path, Idx(new byte[10], 3, 2, 2), gzip: true);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "unexpected end of data");
    }

    [Fact]
    public void Absurd_dimensions_are_rejected()
    {
        string path = folder.File("absurd");
        Write(path, Idx([], 1, 0, 5), gzip: false);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "not a sane size");
    }

    [Fact]
    public void Empty_file_is_rejected()
    {
        string path = folder.File("empty");
        File.WriteAllBytes(path, []);
        AssertMalformed(path, () => IdxReader.ReadImages(path), "end of data");
    }

    [Fact]
    public void Label_count_different_from_image_count_is_rejected_naming_both_files()
    {
        string images = folder.File("images");
        Write(images, Idx(new byte[3 * 4], 3, 2, 2), gzip: false);
        string labels = WriteLabels([1, 2]);
        var error = AssertMalformed(images, () => IdxReader.ReadSplit(images, labels));
        Assert.Contains(labels, error.Message, StringComparison.Ordinal);
    }

    private string WriteLabels(byte[] labels)
    {
        string path = folder.File($"labels-{Guid.NewGuid():N}");
        Write(path, Idx(labels, labels.Length), gzip: false);
        return path;
    }
}
