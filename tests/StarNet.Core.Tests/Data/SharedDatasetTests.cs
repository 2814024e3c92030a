using StarNet.Core.Tests.Data.Support;
using StarNet.Data;

namespace StarNet.Core.Tests.Data;

/// <summary>
/// The real datasets in <c>../shared/data</c> (relative to the repository root) load with their published
/// counts, first labels and statistics. Each test is reported as Skipped when its folder is absent.
/// </summary>
public sealed class SharedDatasetTests
{
    [SharedDataFact("mnist")]
    public void Mnist_has_the_published_counts_labels_and_mean()
    {
        Dataset data = DatasetLoader.Load(SharedData.PathOf("mnist"));

        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test!.Count);
        Assert.Equal(new byte[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, data.Train.Labels[..10]);
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, data.Test.Labels[..10]);
        Assert.Equal(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, ClassCounts(data.Train));
        Assert.Equal(0.1307, Mean(data.Train), 4);
    }

    [SharedDataFact("fashion-mnist")]
    public void Fashion_mnist_has_the_published_counts_and_mean()
    {
        Dataset data = DatasetLoader.Load(SharedData.PathOf("fashion-mnist"));

        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test!.Count);
        Assert.All(ClassCounts(data.Train), count => Assert.Equal(6000, count));
        Assert.Equal(0.2860, Mean(data.Train), 4);
    }

    [SharedDataFact("cifar10")]
    public void Cifar10_has_the_published_labels_and_class_names()
    {
        Dataset data = DatasetLoader.Load(SharedData.PathOf("cifar10"));

        Assert.Equal(DatasetFormat.Cifar10, data.Format);
        Assert.Equal(new ImageShape(3, 32, 32), data.Shape);
        Assert.Equal(0, data.Train.Count % 10000);
        Assert.Equal(new byte[] { 6, 9, 9, 4, 1, 1, 2, 7, 8, 3 }, data.Train.Labels[..10]);
        Assert.Equal(new[] { 1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981 }, ClassCounts(data.Train, 10000));
        Assert.Equal(new byte[] { 3, 8, 8, 0, 6, 6, 1, 6, 3, 1 }, data.Test!.Labels[..10]);
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], data.ClassNames);
    }

    [SharedDataFact("cifar10")]
    public void Cifar10_test_subset_reads_alone_with_a_sample_limit()
    {
        string path = Path.Combine(SharedData.PathOf("cifar10"), "test_batch.bin.gz");

        DatasetSplit all = Cifar10Reader.ReadBatch(path);
        DatasetSplit some = Cifar10Reader.ReadBatch(path, maxCount: 5);

        Assert.Equal(1000, all.Count);
        Assert.Equal(new[] { 103, 89, 100, 103, 90, 86, 112, 102, 106, 109 }, ClassCounts(all));
        Assert.Equal(all.Pixels[..(5 * 3072)], some.Pixels);
    }

    private static int[] ClassCounts(DatasetSplit split, int take = int.MaxValue)
    {
        var counts = new int[10];
        foreach (byte label in split.Labels.Take(take))
        {
            counts[label]++;
        }

        return counts;
    }

    private static double Mean(DatasetSplit split) => split.Pixels.Sum(p => (double)p) / split.Pixels.Length;
}

public sealed class SharedDataFactAttributeTests
{
    [Fact]
    public void A_missing_dataset_folder_sets_a_skip_reason()
    {
        var fact = new SharedDataFactAttribute("no-such-dataset");
        Assert.NotNull(fact.Skip);
        Assert.Contains("absent", fact.Skip, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shared_folder_is_found_relative_to_the_repository_root()
    {
        Assert.True(File.Exists(Path.Combine(SharedData.RepositoryRoot, "StarNet.Core.sln")));
        Assert.Equal(Path.GetFullPath(Path.Combine(SharedData.RepositoryRoot, "../shared/data")), SharedData.Folder);
    }
}
