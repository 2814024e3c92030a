namespace StarNet.Data;

/// <summary>
/// Reads CIFAR-10 binary batches (<c>data_batch_1.bin</c> ... <c>test_batch.bin</c>), raw or gzip.
/// Each record is one label byte (0-9) and 3072 pixel bytes: the 1024 red, then green, then blue
/// values, each plane row-major 32x32, which is already the CHW order of <see cref="DatasetSplit"/>.
/// A batch may hold any number of records.
/// </summary>
/// <remarks>
/// The record count is taken from the file length (raw) or the gzip size trailer, checked, and only then
/// the float array is allocated; records are decompressed one by one straight into it.
/// A gzip batch must be a single gzip member of less than 4 GiB (true of every CIFAR-10 batch).
/// </remarks>
public static class Cifar10Reader
{
    /// <summary>The number of pixel bytes in one record.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>The number of bytes in one record: the label and the pixels.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>The number of CIFAR-10 classes; labels are below it.</summary>
    public const int ClassCount = 10;

    /// <summary>The shape of a CIFAR-10 image: 3 x 32 x 32.</summary>
    public static ImageShape Shape { get; } = new(3, 32, 32);

    /// <summary>Reads one batch file.</summary>
    /// <param name="path">The batch, raw or gzip.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static DatasetSplit ReadBatch(string path, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        ReadBatches([path], maxCount, cancellationToken);

    /// <summary>Reads several batch files, in order, into one split.</summary>
    /// <param name="paths">The batches, raw or gzip.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The images and labels of all batches.</returns>
    /// <exception cref="InvalidDataException">A file is malformed; all are checked before the pixels are allocated.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty.</exception>
    public static DatasetSplit ReadBatches(IReadOnlyList<string> paths, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (paths.Count == 0)
        {
            throw new ArgumentException("At least one batch file is needed.", nameof(paths));
        }

        var files = new List<DataFile>(paths.Count);
        try
        {
            var counts = new int[paths.Count];
            long total = 0;
            foreach (string path in paths)
            {
                DataFile file = DataFile.Open(path);
                files.Add(file);
                counts[files.Count - 1] = RecordCount(file);
                total += counts[files.Count - 1];
            }

            int count = (int)Math.Min(total, maxCount);
            var pixels = new float[DataErrors.CheckedElements(paths[0], count, ImageBytes, "images")];
            var labels = new byte[count];
            var record = new byte[RecordBytes];
            int n = 0;
            for (int f = 0; f < files.Count && n < count; f++)
            {
                int take = Math.Min(counts[f], count - n);
                for (int r = 0; r < take; r++, n++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    files[f].ReadExactly(record, $"record {r}");
                    if (record[0] >= ClassCount)
                    {
                        throw files[f].Error($"record {r} has label {record[0]}, which is not a CIFAR-10 class (0-{ClassCount - 1})");
                    }

                    labels[n] = record[0];
                    PixelScaling.ToUnitRange(record.AsSpan(1), pixels.AsSpan(n * ImageBytes, ImageBytes));
                }

                if (take == counts[f] && files[f].IsGzip && !files[f].AtEnd())
                {
                    throw files[f].Error("the data is longer than its gzip size trailer states (multi-member or corrupt gzip)");
                }
            }

            return new DatasetSplit(pixels, labels, Shape);
        }
        finally
        {
            foreach (DataFile file in files)
            {
                file.Dispose();
            }
        }
    }

    private static int RecordCount(DataFile file)
    {
        long bytes;
        if (file.IsGzip)
        {
            bytes = file.GzipTrailerSize ?? throw file.Error($"the gzip file is only {file.FileLength} bytes long (truncated)");
            file.RequireLength(bytes, "a decompressed size (gzip trailer)", exact: false);
        }
        else
        {
            bytes = file.FileLength;
        }

        string source = file.IsGzip ? "the decompressed size in the gzip trailer" : "the file length";
        if (bytes == 0 || bytes % RecordBytes != 0)
        {
            throw file.Error($"{source} is {bytes} bytes, not a whole, positive number of {RecordBytes}-byte CIFAR-10 records (truncated or not a CIFAR-10 batch)");
        }

        return (int)(bytes / RecordBytes);
    }
}
