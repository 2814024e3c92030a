using FsCheck.Xunit;
using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class Cifar10ReaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Property(MaxTest = 15)]
    public void Batches_round_trip(byte firstSeed, byte secondSeed, int seed, bool gzip)
    {
        int first = 1 + (firstSeed % 6);
        int second = 1 + (secondSeed % 4);
        var random = new Random(seed);
        byte[] labels = [.. Enumerable.Range(0, first + second).Select(_ => (byte)random.Next(10))];
        byte[] pixels = RandomBytes(random, labels.Length * 3072);
        string a = folder.File($"a-{seed}-{gzip}.bin");
        string b = folder.File($"b-{seed}-{gzip}.bin");
        Write(a, CifarRecords(labels[..first], pixels[..(first * 3072)]), gzip);
        Write(b, CifarRecords(labels[first..], pixels[(first * 3072)..]), gzip);

        DatasetSplit split = Cifar10Reader.ReadBatches([a, b]);

        Assert.Equal(new ImageShape(3, 32, 32), split.Shape);
        Assert.Equal(labels, split.Labels);
        Assert.Equal(Scaled(pixels), split.Pixels);
    }

    [Fact]
    public void Planes_stay_in_chw_order_and_max_count_spans_batches()
    {
        var pixels = new byte[3 * 3072];
        for (int n = 0; n < 3; n++)
        {
            pixels[(n * 3072) + 0] = 10;          // R(0,0)
            pixels[(n * 3072) + 1024 + 33] = 20;  // G(1,1)
            pixels[(n * 3072) + 2048 + 1023] = 30; // B(31,31)
        }

        string a = folder.File("data_batch_1.bin.gz");
        string b = folder.File("data_batch_2.bin");
        Write(a, CifarRecords([1, 2], pixels[..6144]), gzip: true);
        Write(b, CifarRecords([3], pixels[6144..]), gzip: false);

        DatasetSplit split = Cifar10Reader.ReadBatches([a, b], maxCount: 2);

        Assert.Equal(new byte[] { 1, 2 }, split.Labels);
        Assert.Equal(2 * 3072, split.Pixels.Length);
        ImageShape shape = split.Shape;
        Assert.Equal(10 / 255f, split.GetImage(1)[shape.IndexOf(0, 0, 0)]);
        Assert.Equal(20 / 255f, split.GetImage(1)[shape.IndexOf(1, 1, 1)]);
        Assert.Equal(30 / 255f, split.GetImage(1)[shape.IndexOf(2, 31, 31)]);
    }

    [Fact]
    public void No_batch_at_all_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => Cifar10Reader.ReadBatches([]));
    }

    [Fact]
    public void Raw_length_that_is_not_whole_records_is_rejected()
    {
        string path = folder.File("data_batch_1.bin");
        File.WriteAllBytes(path, new byte[3073 + 100]);
        AssertMalformed(path, () => Cifar10Reader.ReadBatch(path), "3073-byte");
    }

    [Fact]
    public void Label_outside_the_ten_classes_is_rejected()
    {
        string path = folder.File("data_batch_1.bin");
        Write(path, CifarRecords([3, 12], new byte[2 * 3072]), gzip: false);
        AssertMalformed(path, () => Cifar10Reader.ReadBatch(path), "label 12");
    }

    [Fact]
    public void Truncated_gzip_is_rejected()
    {
        byte[] gz = Gzip(CifarRecords(new byte[20], RandomBytes(new Random(5), 20 * 3072)));
        string path = folder.File("test_batch.bin.gz");
        File.WriteAllBytes(path, gz[..(gz.Length - 5000)]);
        AssertMalformed(path, () => Cifar10Reader.ReadBatch(path));
    }

    [Fact]
    public void Gzip_trailer_smaller_than_the_content_is_rejected()
    {
        // Two gzip members: the trailer of the last one states only its own size.
        byte[] one = Gzip(CifarRecords([1], new byte[3072]));
        string path = folder.File("test_batch.bin.gz");
        File.WriteAllBytes(path, [.. one, .. one]);
        AssertMalformed(path, () => Cifar10Reader.ReadBatch(path), "trailer");
    }
}
