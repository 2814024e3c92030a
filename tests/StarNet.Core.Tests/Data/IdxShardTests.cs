using FsCheck.Xunit;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

/// <summary>Sharded IDX reads: the shards of a split, stacked in order, are the split, raw or gzip, with or without a sample limit.</summary>
public sealed class IdxShardTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Property(MaxTest = 30)]
    public void Shards_stacked_in_order_are_the_whole_split(byte countSeed, byte shardSeed, byte limitSeed, int seed, bool gzip)
    {
        int count = countSeed % 40;
        int shards = 1 + (shardSeed % 6);
        int limit = limitSeed % 3 == 0 ? int.MaxValue : limitSeed % 45;
        var random = new Random(seed);
        byte[] pixels = RandomBytes(random, count * 3 * 2);
        byte[] labels = RandomBytes(random, count);
        string images = folder.File($"images-{seed}-{gzip}");
        string labelFile = folder.File($"labels-{seed}-{gzip}");
        Write(images, Idx(pixels, count, 3, 2), gzip);
        Write(labelFile, Idx(labels, count), gzip);

        DatasetSplit whole = IdxReader.ReadSplit(images, labelFile, limit);
        DatasetSplit[] parts = [.. Enumerable.Range(0, shards).Select(s => IdxReader.ReadSplit(images, labelFile, new DatasetShard(s, shards), limit))];

        Assert.Equal(whole.Labels, parts.SelectMany(p => p.Labels));
        Assert.Equal(whole.Pixels, parts.SelectMany(p => p.Pixels));
        Assert.True(parts.Max(p => p.Count) - parts.Min(p => p.Count) <= 1);
        Assert.All(parts, p => Assert.Equal(whole.Shape, p.Shape));
    }

    [Fact]
    public void The_loader_shards_an_idx_folder()
    {
        var random = new Random(5);
        byte[] pixels = RandomBytes(random, 11 * 4);
        byte[] labels = RandomBytes(random, 11);
        Write(folder.File("train-images-idx3-ubyte.gz"), Idx(pixels, 11, 2, 2), gzip: true);
        Write(folder.File("train-labels-idx1-ubyte"), Idx(labels, 11), gzip: false);

        Dataset second = DatasetLoader.Load(folder.Path, new DatasetLoadOptions { Shard = new DatasetShard(1, 3), MaxSamples = 10 });

        // 10 images over 3 shards: 4, 3, 3; shard 1 holds images 4..6.
        Assert.Equal(labels[4..7], second.Train.Labels);
        Assert.Equal(Scaled(pixels)[(4 * 4)..(7 * 4)], second.Train.Pixels);
    }

    [Fact]
    public void A_truncated_file_is_reported_when_skipping_to_the_shard()
    {
        byte[] data = Idx(new byte[8 * 4], 8, 2, 2);
        string path = folder.File("short-images");
        File.WriteAllBytes(path, data);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(data.Length - 20);
        }

        AssertMalformed(path, () => IdxReader.ReadImages(path, new DatasetShard(1, 2)));
    }
}
