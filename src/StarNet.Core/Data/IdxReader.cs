using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Data;

/// <summary>
/// Reads IDX files of unsigned bytes as used by MNIST, Fashion-MNIST and EMNIST: images
/// (<c>idx3-ubyte</c>, dimensions count x rows x columns) and labels (<c>idx1-ubyte</c>).
/// Files may be raw or gzip; gzip is recognised by its magic bytes, not by the file name.
/// </summary>
/// <remarks>
/// Headers are checked before anything large is allocated: the magic number, the dimensions,
/// and the size they imply against the file length (raw) or the largest possible deflate expansion (gzip).
/// Pixels are decompressed chunk by chunk straight into the final float array.
/// Every malformed file gives an <see cref="InvalidDataException"/> whose message starts with its path.
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest image side accepted; larger values are taken as a corrupt header.</summary>
    public const int MaxImageSide = 1 << 15;

    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads images from an <c>idx3-ubyte</c> file as floats in [0, 1].</summary>
    /// <param name="path">The images file, raw or gzip.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="transpose">Whether images are stored column by column (EMNIST) and must be turned back.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Row-major <c>N x D</c> pixels and the shape of one image (one channel).</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static (float[] Pixels, ImageShape Shape) ReadImages(string path, int maxCount = int.MaxValue, bool transpose = false, CancellationToken cancellationToken = default) =>
        ReadImages(path, DatasetShard.Whole, maxCount, transpose, cancellationToken);

    /// <summary>
    /// Reads one shard of the images of an <c>idx3-ubyte</c> file: of the first <paramref name="maxCount"/> images,
    /// the contiguous block <paramref name="shard"/> (see <see cref="DatasetShard"/>). Earlier images are skipped
    /// without being kept (a seek in a raw file, a streamed skip in a gzip file); later ones are not read.
    /// </summary>
    /// <param name="path">The images file, raw or gzip.</param>
    /// <param name="shard">Which block of images to read.</param>
    /// <param name="maxCount">The limit on the images considered, applied before sharding.</param>
    /// <param name="transpose">Whether images are stored column by column (EMNIST) and must be turned back.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Row-major <c>n x D</c> pixels of the shard's n images and the shape of one image.</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static (float[] Pixels, ImageShape Shape) ReadImages(string path, DatasetShard shard, int maxCount = int.MaxValue, bool transpose = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using DataFile file = DataFile.Open(path);
        int[] dims = ReadHeader(file, 3);
        return ReadImageData(file, dims, shard.Rows(Math.Min(dims[0], maxCount)), transpose, cancellationToken);
    }

    /// <summary>Reads labels from an <c>idx1-ubyte</c> file.</summary>
    /// <param name="path">The labels file, raw or gzip.</param>
    /// <param name="maxCount">The largest number of labels to read; the first ones are taken.</param>
    /// <returns>The labels.</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static byte[] ReadLabels(string path, int maxCount = int.MaxValue) => ReadLabels(path, DatasetShard.Whole, maxCount);

    /// <summary>Reads one shard of the labels of an <c>idx1-ubyte</c> file, as <see cref="ReadImages(string, DatasetShard, int, bool, CancellationToken)"/> does for images.</summary>
    /// <param name="path">The labels file, raw or gzip.</param>
    /// <param name="shard">Which block of labels to read.</param>
    /// <param name="maxCount">The limit on the labels considered, applied before sharding.</param>
    /// <returns>The shard's labels.</returns>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static byte[] ReadLabels(string path, DatasetShard shard, int maxCount = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using DataFile file = DataFile.Open(path);
        int[] dims = ReadHeader(file, 1);
        return ReadLabelData(file, shard.Rows(Math.Min(dims[0], maxCount)));
    }

    /// <summary>Reads an images file and its labels file as one split.</summary>
    /// <param name="imagesPath">The <c>idx3-ubyte</c> images file.</param>
    /// <param name="labelsPath">The <c>idx1-ubyte</c> labels file.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="transpose">Whether images are stored column by column (EMNIST) and must be turned back.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The split.</returns>
    /// <exception cref="InvalidDataException">A file is malformed, or the two counts differ (checked before pixels are read).</exception>
    public static DatasetSplit ReadSplit(string imagesPath, string labelsPath, int maxCount = int.MaxValue, bool transpose = false, CancellationToken cancellationToken = default) =>
        ReadSplit(imagesPath, labelsPath, DatasetShard.Whole, maxCount, transpose, cancellationToken);

    /// <summary>
    /// Reads one shard of a split: of the first <paramref name="maxCount"/> images and labels, the contiguous block
    /// <paramref name="shard"/>; only that block is read into memory.
    /// </summary>
    /// <param name="imagesPath">The <c>idx3-ubyte</c> images file.</param>
    /// <param name="labelsPath">The <c>idx1-ubyte</c> labels file.</param>
    /// <param name="shard">Which block to read.</param>
    /// <param name="maxCount">The limit on the images considered, applied before sharding.</param>
    /// <param name="transpose">Whether images are stored column by column (EMNIST) and must be turned back.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The shard as a split.</returns>
    /// <exception cref="InvalidDataException">A file is malformed, or the two counts differ (checked before pixels are read).</exception>
    public static DatasetSplit ReadSplit(string imagesPath, string labelsPath, DatasetShard shard, int maxCount = int.MaxValue, bool transpose = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        using DataFile images = DataFile.Open(imagesPath);
        using DataFile labels = DataFile.Open(labelsPath);
        int[] imageDims = ReadHeader(images, 3);
        int[] labelDims = ReadHeader(labels, 1);
        if (imageDims[0] != labelDims[0])
        {
            throw DataErrors.Malformed(
                imagesPath,
                $"it holds {imageDims[0]} images but the labels file {labelsPath} holds {labelDims[0]} labels");
        }

        RowPartition rows = shard.Rows(Math.Min(imageDims[0], maxCount));
        byte[] labelData = ReadLabelData(labels, rows);
        (float[] pixels, ImageShape shape) = ReadImageData(images, imageDims, rows, transpose, cancellationToken);
        return new DatasetSplit(pixels, labelData, shape);
    }

    /// <summary>Reads and checks an IDX header of unsigned bytes with <paramref name="rank"/> dimensions.</summary>
    private static int[] ReadHeader(DataFile file, int rank)
    {
        uint magic = file.ReadUInt32BigEndian("the IDX magic number");
        uint expected = (UnsignedByteType << 8) | (uint)rank;
        if (magic != expected)
        {
            string problem = (magic >> 16) != 0 || (magic & 0xff) == 0
                ? $"wrong magic number 0x{magic:x8}: not an IDX file (expected 0x{expected:x8})"
                : (magic >> 8) != UnsignedByteType
                    ? $"IDX element type 0x{(magic >> 8) & 0xff:x2} is not supported (only unsigned bytes, 0x08)"
                    : $"IDX file has {magic & 0xff} dimensions where {rank} were expected (magic 0x{magic:x8}, expected 0x{expected:x8})";
            throw file.Error(problem);
        }

        var dims = new int[rank];
        long itemSize = 1;
        for (int i = 0; i < rank; i++)
        {
            uint dim = file.ReadUInt32BigEndian("the IDX dimensions");
            if (dim > int.MaxValue || (i > 0 && (dim == 0 || dim > MaxImageSide)))
            {
                throw file.Error($"IDX dimension {i} is {dim}, which is not a sane size");
            }

            dims[i] = (int)dim;
            if (i > 0)
            {
                itemSize *= dim;
            }
        }

        DataErrors.CheckedElements(file.Path, dims[0], itemSize, "items");
        long claimed = 4L + (4L * rank) + ((long)dims[0] * itemSize);
        file.RequireLength(claimed, $"{string.Join(" x ", dims)} bytes of data", exact: true);
        return dims;
    }

    private static byte[] ReadLabelData(DataFile file, RowPartition shard)
    {
        file.Skip(shard.Start, "the labels before this shard");
        var labels = new byte[shard.Count];
        file.ReadExactly(labels, "the labels");
        return labels;
    }

    private static (float[] Pixels, ImageShape Shape) ReadImageData(DataFile file, int[] dims, RowPartition shard, bool transpose, CancellationToken cancellationToken)
    {
        int count = shard.Count;
        int rows = dims[1];
        int columns = dims[2];
        file.Skip(shard.Start * rows * columns, "the images before this shard");
        var pixels = new float[count * rows * columns];
        if (!transpose)
        {
            file.ReadPixels(pixels, "the images", cancellationToken);
            return (pixels, new ImageShape(1, rows, columns));
        }

        // Stored column by column: the stored matrix is rows x columns, the image columns x rows.
        var stored = new float[rows * columns];
        for (int n = 0; n < count; n++)
        {
            file.ReadPixels(stored, "the images", cancellationToken);
            Span<float> image = pixels.AsSpan(n * stored.Length, stored.Length);
            for (int i = 0; i < columns; i++)
            {
                for (int j = 0; j < rows; j++)
                {
                    image[(i * rows) + j] = stored[(j * columns) + i];
                }
            }
        }

        return (pixels, new ImageShape(1, columns, rows));
    }
}
