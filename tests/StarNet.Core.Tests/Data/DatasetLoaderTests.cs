using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.MatV5Writer;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private static readonly byte[] MnistTrainFirst = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
    private static readonly byte[] MnistTestFirst = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Bundled_mnist_sample_loads()
    {
        Dataset data = DatasetLoader.Load(SharedData.Sample);

        Assert.Equal("mnist", data.Name);
        Assert.Equal(DatasetFormat.Idx, data.Format);
        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        Assert.Equal(4000, data.Train.Count);
        Assert.Equal(4000 * 784, data.Train.Pixels.Length);
        Assert.Equal(MnistTrainFirst, data.Train.Labels[..10]);
        Assert.NotNull(data.Test);
        Assert.Equal(1000, data.Test.Count);
        Assert.Equal(MnistTestFirst, data.Test.Labels[..10]);
        Assert.Equal(0f, data.Train.Pixels.Min());
        Assert.Equal(1f, data.Train.Pixels.Max());
        Assert.InRange(data.Train.Pixels.Average(), 0.12, 0.14);
    }

    [Fact]
    public void Max_samples_limits_each_split()
    {
        Dataset data = DatasetLoader.Load(SharedData.Sample, new DatasetLoadOptions { MaxSamples = 10 });

        Assert.Equal(10, data.Train.Count);
        Assert.Equal(10 * 784, data.Train.Pixels.Length);
        Assert.Equal(MnistTrainFirst, data.Train.Labels);
        Assert.Equal(MnistTestFirst, data.Test!.Labels);
    }

    [Fact]
    public void Negative_max_samples_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetLoadOptions { MaxSamples = -1 });
    }

    [Fact]
    public void Idx_folder_prefers_raw_files_and_finds_emnist_style_names()
    {
        // Raw train images beside a (different) gzip copy: the raw one is read.
        Write(folder.File("emnist-digits-train-images-idx3-ubyte"), Idx([0, 255, 0, 0], 1, 2, 2), gzip: false);
        Write(folder.File("emnist-digits-train-images-idx3-ubyte.gz"), Idx([9, 9, 9, 9], 1, 2, 2), gzip: true);
        Write(folder.File("emnist-digits-train-labels-idx1-ubyte.gz"), Idx([3], 1), gzip: true);
        Write(folder.File("emnist-digits-test-images-idx3-ubyte.gz"), Idx([1, 2, 3, 4], 1, 2, 2), gzip: true);
        Write(folder.File("emnist-digits-test-labels-idx1-ubyte.gz"), Idx([6], 1), gzip: true);

        Dataset data = DatasetLoader.Load(folder.Path);

        Assert.Equal(DatasetFormat.Idx, data.Format);
        Assert.Equal(new byte[] { 3 }, data.Train.Labels);

        // EMNIST names are transposed by default: stored [0, 255; 0, 0] is the image [0, 0; 255, 0].
        Assert.Equal(new[] { 0f, 0f, 1f, 0f }, data.Train.Pixels);
        Assert.Equal(new byte[] { 6 }, data.Test!.Labels);
        Assert.Equal(new[] { 0f, 1f, 0f, 0f }, DatasetLoader.Load(folder.Path, new DatasetLoadOptions { TransposeIdxImages = false }).Train.Pixels);
    }

    [Fact]
    public void Idx_folder_with_images_but_no_labels_is_rejected()
    {
        Write(folder.File("train-images-idx3-ubyte"), Idx([1], 1, 1, 1), gzip: false);
        AssertMalformed(folder.Path, () => DatasetLoader.Load(folder.Path), "labels");
    }

    [Fact]
    public void Cifar_folder_loads_batches_in_order_with_class_names()
    {
        string sub = Path.Combine(folder.Path, "cifar-10-batches-bin");
        Directory.CreateDirectory(sub);
        Write(Path.Combine(sub, "data_batch_2.bin"), CifarRecords([2], new byte[3072]), gzip: false);
        Write(Path.Combine(sub, "data_batch_1.bin.gz"), CifarRecords([1, 1], new byte[2 * 3072]), gzip: true);
        Write(Path.Combine(sub, "test_batch.bin.gz"), CifarRecords([9], new byte[3072]), gzip: true);
        File.WriteAllText(Path.Combine(sub, "batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");

        Assert.Equal(DatasetFormat.Cifar10, DatasetLoader.Detect(folder.Path));
        Dataset data = DatasetLoader.Load(folder.Path);

        Assert.Equal(new byte[] { 1, 1, 2 }, data.Train.Labels);
        Assert.Equal(new byte[] { 9 }, data.Test!.Labels);
        Assert.Equal(10, data.ClassNames!.Count);
        Assert.Equal("truck", data.ClassNames[9]);
    }

    [Fact]
    public void Svhn_folder_and_single_mat_file_load()
    {
        MatVar x = new("X", ClassUInt8, [32, 32, 3, 2], MiUInt8, new byte[2 * 3072]);
        MatVar y = new("y", ClassDouble, [2, 1], MiDouble, Doubles([10, 7]));
        File.WriteAllBytes(folder.File("train_32x32.mat"), Build(true, x, y));
        File.WriteAllBytes(folder.File("test_32x32.mat"), Build(false, x, y));

        Dataset data = DatasetLoader.Load(folder.Path);

        Assert.Equal(DatasetFormat.Svhn, data.Format);
        Assert.Equal(new byte[] { 0, 7 }, data.Train.Labels);
        Assert.Equal(2, data.Test!.Count);
        Assert.Equal(new byte[] { 0, 7 }, DatasetLoader.Load(folder.File("test_32x32.mat")).Train.Labels);
    }

    [Fact]
    public void Npy_folder_loads_images_with_sibling_labels()
    {
        NpyFile.Write<byte>(folder.File("digits.npy"), [0, 255, 51, 102, 0, 0, 0, 0], [2, 4]);
        NpyFile.Write<long>(folder.File("digits_labels.npy"), [4, 2], [2]);

        Dataset data = DatasetLoader.Load(folder.Path);

        Assert.Equal(DatasetFormat.Npy, data.Format);
        Assert.Equal(new ImageShape(1, 2, 2), data.Shape);
        Assert.True(data.Train.HasLabels);
        Assert.Equal(new byte[] { 4, 2 }, data.Train.Labels);
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.4f }, data.Train.GetImage(0).ToArray());
    }

    [Fact]
    public void Npy_file_of_float_chw_images_without_labels_loads_as_is()
    {
        float[] pixels = [.. Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => i / 100f)];
        string path = folder.File("colour.npy");
        NpyFile.Write<float>(path, pixels, [2, 3, 2, 2]);

        DatasetSplit split = DatasetLoader.Load(path, new DatasetLoadOptions { MaxSamples = 1 }).Train;

        Assert.Equal(new ImageShape(3, 2, 2), split.Shape);
        Assert.False(split.HasLabels);
        Assert.Equal(new byte[] { 0 }, split.Labels);
        Assert.Equal(pixels[..12], split.Pixels);
    }

    [Fact]
    public void Npy_labels_with_the_wrong_count_are_rejected()
    {
        NpyFile.Write<byte>(folder.File("a.npy"), new byte[8], [2, 4]);
        string labels = folder.File("a-labels.npy");
        NpyFile.Write<int>(labels, [1, 2, 3], [3]);
        AssertMalformed(labels, () => DatasetLoader.Load(folder.Path), "2 integers");
    }

    [Fact]
    public void Folder_without_a_dataset_is_rejected_by_name()
    {
        File.WriteAllText(folder.File("readme.txt"), "nothing here");
        Assert.Null(DatasetLoader.Detect(folder.Path));
        AssertMalformed(folder.Path, () => DatasetLoader.Load(folder.Path), "no dataset");
    }

    [Fact]
    public void Folder_with_several_arrays_is_ambiguous()
    {
        NpyFile.Write<byte>(folder.File("a.npy"), [1], [1, 1]);
        NpyFile.Write<byte>(folder.File("b.npy"), [1], [1, 1]);
        AssertMalformed(folder.Path, () => DatasetLoader.Load(folder.Path), "several");
    }

    [Fact]
    public void Missing_path_is_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load(folder.File("nothing")));
    }
}
