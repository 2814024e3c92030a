namespace StarNet.Data;

/// <summary>
/// Loads a dataset from a folder, recognised by the standard file names it holds, or from a single file.
/// </summary>
/// <remarks>
/// <para>Recognised, in this order:</para>
/// <list type="bullet">
/// <item><description>IDX (MNIST, Fashion-MNIST, EMNIST): <c>[prefix]train-images-idx3-ubyte[.gz]</c> with
/// <c>train-labels-idx1-ubyte[.gz]</c>, and optionally <c>t10k-</c> (or <c>test-</c>) images and labels.</description></item>
/// <item><description>CIFAR-10: <c>data_batch_1..5.bin[.gz]</c> (those present) and optionally <c>test_batch.bin[.gz]</c>,
/// in the folder or in its <c>cifar-10-batches-bin</c> subfolder; class names from <c>batches.meta.txt</c>.</description></item>
/// <item><description>SVHN: <c>train_32x32.mat</c> and optionally <c>test_32x32.mat</c>.</description></item>
/// <item><description>numpy: a single <c>.npy</c> file (besides its <c>*_labels.npy</c>), or the path of a <c>.npy</c> file.</description></item>
/// </list>
/// <para>When both a raw and a gzip copy of a file exist, the raw one is read.</para>
/// </remarks>
public static class DatasetLoader
{
    private const string CifarSubfolder = "cifar-10-batches-bin";
    private const string CifarMeta = "batches.meta.txt";

    /// <summary>Loads the dataset at <paramref name="path"/>.</summary>
    /// <param name="path">A dataset folder, a <c>.npy</c> file or an SVHN <c>.mat</c> file.</param>
    /// <param name="options">Limits and format options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="InvalidDataException">Nothing recognisable is there, the folder is ambiguous, or a file is malformed.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static Dataset Load(string path, DatasetLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= DatasetLoadOptions.Default;
        Layout layout = Find(path) ?? throw DataErrors.Malformed(
            path,
            "no dataset recognised: expected IDX files (train-images-idx3-ubyte[.gz], ...), CIFAR-10 batches (data_batch_1.bin[.gz], ...), SVHN train_32x32.mat, or one .npy file");
        int limit = options.Limit;
        DatasetShard shard = options.EffectiveShard;
        switch (layout.Format)
        {
            case DatasetFormat.Idx:
                bool transpose = options.TransposeIdxImages ?? Path.GetFileName(layout.Train[0]).StartsWith("emnist", StringComparison.OrdinalIgnoreCase);
                return layout.Make(files => IdxReader.ReadSplit(files[0], files[1], shard, limit, transpose, cancellationToken));
            case DatasetFormat.Cifar10:
                return layout.Make(files => Cut(Cifar10Reader.ReadBatches(files, limit, cancellationToken), shard));
            case DatasetFormat.Svhn:
                return layout.Make(files => Cut(SvhnReader.Read(files[0], limit, cancellationToken), shard));
            default:
                return layout.Make(files => Cut(NpyImageReader.Read(files[0], limit, cancellationToken), shard));
        }
    }

    /// <summary>The shard's block of a split that was loaded whole (formats without a seeking reader).</summary>
    private static DatasetSplit Cut(DatasetSplit split, DatasetShard shard)
    {
        if (shard.IsWhole)
        {
            return split;
        }

        var rows = shard.Rows(split.Count);
        int d = split.Dimension;
        return new DatasetSplit(
            split.Pixels.AsSpan((int)rows.Start * d, rows.Count * d).ToArray(),
            split.Labels.AsSpan((int)rows.Start, rows.Count).ToArray(),
            split.Shape,
            split.HasLabels);
    }

    /// <summary>Tells which format <see cref="Load"/> would read at <paramref name="path"/>, without reading the data.</summary>
    /// <param name="path">A folder or file.</param>
    /// <returns>The format, or null when nothing is recognised.</returns>
    /// <exception cref="InvalidDataException">The folder is ambiguous (for example several IDX datasets).</exception>
    public static DatasetFormat? Detect(string path) => Find(path)?.Format;

    private static Layout? Find(string path)
    {
        if (File.Exists(path))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".npy" => new Layout(name, DatasetFormat.Npy, [path], null, null),
                ".mat" => new Layout(name, DatasetFormat.Svhn, [path], null, null),
                _ => null,
            };
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file or folder.", path);
        }

        string folderName = new DirectoryInfo(path).Name;
        return FindIdx(path, folderName) ?? FindCifar(path, folderName) ?? FindSvhn(path, folderName) ?? FindNpy(path, folderName);
    }

    /// <summary>The raw file if it exists, else its <c>.gz</c> copy, else null.</summary>
    private static string? Pick(string folder, string name)
    {
        string raw = Path.Combine(folder, name);
        return File.Exists(raw) ? raw : File.Exists(raw + ".gz") ? raw + ".gz" : null;
    }

    private static Layout? FindIdx(string folder, string name)
    {
        var prefixes = Directory.EnumerateFiles(folder)
            .Select(file => Path.GetFileName(file) is var n && n.EndsWith(".gz", StringComparison.Ordinal) ? n[..^3] : n)
            .Select(n => n.EndsWith("train-images-idx3-ubyte", StringComparison.Ordinal) ? (n[..^23], '-')
                : n.EndsWith("train-images.idx3-ubyte", StringComparison.Ordinal) ? (n[..^23], '.')
                : ((string, char)?)null)
            .OfType<(string Prefix, char Separator)>()
            .Distinct()
            .ToList();
        if (prefixes.Count == 0)
        {
            return null;
        }

        if (prefixes.Count > 1)
        {
            throw DataErrors.Malformed(folder, $"several IDX datasets in one folder ({string.Join(", ", prefixes.Select(p => p.Prefix + "train-images"))}); load from a folder with one");
        }

        (string prefix, char separator) = prefixes[0];
        string[]? Pair(string split, bool required)
        {
            string? images = Pick(folder, $"{prefix}{split}-images{separator}idx3-ubyte");
            string? labels = Pick(folder, $"{prefix}{split}-labels{separator}idx1-ubyte");
            return (images, labels) switch
            {
                (not null, not null) => [images, labels],
                (null, null) when !required => null,
                _ => throw DataErrors.Malformed(folder, $"{prefix}{split} images and labels must both be present ({split}-images{separator}idx3-ubyte and {split}-labels{separator}idx1-ubyte, raw or .gz)"),
            };
        }

        return new Layout(name, DatasetFormat.Idx, Pair("train", required: true)!, Pair("t10k", required: false) ?? Pair("test", required: false), null);
    }

    private static Layout? FindCifar(string folder, string name)
    {
        string sub = Path.Combine(folder, CifarSubfolder);
        if (Pick(folder, "data_batch_1.bin") is null && Directory.Exists(sub))
        {
            folder = sub;
        }

        string[] batches = [.. Enumerable.Range(1, 5).Select(i => Pick(folder, $"data_batch_{i}.bin")).OfType<string>()];
        if (batches.Length == 0)
        {
            return null;
        }

        string? test = Pick(folder, "test_batch.bin");
        string meta = Path.Combine(folder, CifarMeta);
        string[]? classes = File.Exists(meta)
            ? [.. File.ReadLines(meta).Select(line => line.Trim()).Where(line => line.Length > 0)]
            : null;
        return new Layout(name, DatasetFormat.Cifar10, batches, test is null ? null : [test], classes);
    }

    private static Layout? FindSvhn(string folder, string name)
    {
        string train = Path.Combine(folder, "train_32x32.mat");
        string test = Path.Combine(folder, "test_32x32.mat");
        return File.Exists(train) ? new Layout(name, DatasetFormat.Svhn, [train], File.Exists(test) ? [test] : null, null) : null;
    }

    private static Layout? FindNpy(string folder, string name)
    {
        string[] arrays = [.. Directory.EnumerateFiles(folder, "*.npy").Where(f => !NpyImageReader.IsLabelsFile(f)).Order(StringComparer.Ordinal)];
        return arrays.Length switch
        {
            0 => null,
            1 => new Layout(name, DatasetFormat.Npy, arrays, null, null),
            _ => throw DataErrors.Malformed(folder, $"several .npy arrays ({string.Join(", ", arrays.Select(Path.GetFileName))}); pass the path of one"),
        };
    }

    /// <summary>What was found: the format and the files of each split.</summary>
    private sealed record Layout(string Name, DatasetFormat Format, string[] Train, string[]? Test, IReadOnlyList<string>? ClassNames)
    {
        public Dataset Make(Func<string[], DatasetSplit> read) =>
            new(Name, Format, read(Train), Test is null ? null : read(Test), ClassNames);
    }
}
