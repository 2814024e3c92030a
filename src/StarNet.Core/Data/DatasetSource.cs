namespace StarNet.Data;

/// <summary>
/// Where a dataset is downloaded from: a base URL and the files under it with their SHA-256 hashes.
/// The built-in sources carry the published hashes of the canonical files; for another mirror or
/// dataset, make a source with the hashes of the files you expect (with <c>with { BaseUrl = ... }</c>
/// when only the host differs and the files are the same).
/// </summary>
/// <param name="Name">The dataset name (<c>mnist</c>, <c>fashion-mnist</c>, <c>cifar10</c> for the built-in ones).</param>
/// <param name="BaseUrl">The URL the file names are appended to; it should end with a slash.</param>
/// <param name="Files">The files to download.</param>
public sealed record DatasetSource(string Name, Uri BaseUrl, IReadOnlyList<RemoteFile> Files)
{
    /// <summary>
    /// For a source whose files are <c>.tar.gz</c> archives: the member file names to extract into the
    /// destination folder (by file name, whatever folder they are in inside the archive). The archive is
    /// deleted after extraction. Empty for sources of plain files.
    /// </summary>
    public IReadOnlyList<string> ArchiveMembers { get; init; } = [];

    /// <summary>MNIST from the PyTorch mirror of Yann LeCun's files, with their published SHA-256 hashes.</summary>
    public static DatasetSource Mnist { get; } = new(
        "mnist",
        new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        [
            new("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422),
            new("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881),
            new("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877),
            new("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542),
        ]);

    /// <summary>Fashion-MNIST from Zalando Research's download site, with the published SHA-256 hashes.</summary>
    public static DatasetSource FashionMnist { get; } = new(
        "fashion-mnist",
        new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        [
            new("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880),
            new("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515),
            new("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102),
            new("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148),
        ]);

    /// <summary>
    /// CIFAR-10 binary version from Alex Krizhevsky's page (the archive's published MD5 is
    /// c32a1d4ab5d03f1284b67883e8d87530; its SHA-256 is used here). The batches are extracted from the archive.
    /// </summary>
    public static DatasetSource Cifar10 { get; } = new(
        "cifar10",
        new Uri("https://www.cs.toronto.edu/~kriz/"),
        [new("cifar-10-binary.tar.gz", "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", 170_052_171)])
    {
        ArchiveMembers =
        [
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
            "test_batch.bin", "batches.meta.txt",
        ],
    };

    /// <summary>The names of the built-in sources.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = [Mnist.Name, FashionMnist.Name, Cifar10.Name];

    /// <summary>The built-in source called <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name"><c>mnist</c>, <c>fashion-mnist</c> or <c>cifar10</c>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">No built-in source has that name.</exception>
    public static DatasetSource Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new[] { Mnist, FashionMnist, Cifar10 }.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown dataset '{name}'; known: {string.Join(", ", KnownNames)}.", nameof(name));
    }
}
