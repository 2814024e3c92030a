using System.Buffers;
using System.Numerics.Tensors;

namespace StarNet.Data;

/// <summary>
/// Reads a <c>.npy</c> array as a stack of images: shape <c>[N, D]</c>, <c>[N, H, W]</c> or
/// <c>[N, C, H, W]</c>. Integer elements are pixel values and are divided by 255; float elements are
/// taken as they are. Labels come from a sibling <c>&lt;name&gt;_labels.npy</c> or
/// <c>&lt;name&gt;-labels.npy</c> (integers 0-255, one per image) when there is one.
/// </summary>
internal static class NpyImageReader
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>The suffixes (before <c>.npy</c>) that mark a labels file.</summary>
    public static readonly string[] LabelSuffixes = ["_labels", "-labels"];

    /// <summary>Reads the images (and labels, when a labels file exists).</summary>
    /// <param name="path">The images file.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The split.</returns>
    public static DatasetSplit Read(string path, int maxCount, CancellationToken cancellationToken)
    {
        using DataFile file = NpyFile.OpenData(path, out NpyHeader header);
        (int total, ImageShape shape) = Layout(path, header);
        int count = Math.Min(total, maxCount);
        string? labelsPath = FindLabels(path);
        byte[] labels = labelsPath is null ? new byte[count] : ReadLabels(labelsPath, total, count, cancellationToken);
        var pixels = new float[DataErrors.CheckedElements(path, count, shape.Size, "images")];
        int size = NumericConversion.SizeOf(header.ElementType);
        int chunk = ChunkBytes / size;
        if (header.FortranOrder)
        {
            NpyArray array = NpyFile.Read(path, cancellationToken);
            for (int i = 0; i < pixels.Length; i += chunk)
            {
                int n = Math.Min(chunk, pixels.Length - i);
                Store(array.RawBytes((long)i * size, n * size), header.ElementType, pixels.AsSpan(i, n));
            }
        }
        else
        {
            byte[] raw = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                for (int i = 0; i < pixels.Length; i += chunk)
                {
                    int n = Math.Min(chunk, pixels.Length - i);
                    Span<byte> bytes = raw.AsSpan(0, n * size);
                    NpyFile.ReadData(file, header, bytes, cancellationToken);
                    Store(bytes, header.ElementType, pixels.AsSpan(i, n));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
        }

        return new DatasetSplit(pixels, labels, shape, hasLabels: labelsPath is not null);
    }

    /// <summary>Whether <paramref name="path"/> names a labels file rather than images.</summary>
    /// <param name="path">A <c>.npy</c> path.</param>
    /// <returns>True for <c>*_labels.npy</c> and <c>*-labels.npy</c>.</returns>
    public static bool IsLabelsFile(string path)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        return LabelSuffixes.Any(suffix => stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
    }

    private static string? FindLabels(string path)
    {
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));
        return LabelSuffixes.Select(suffix => $"{stem}{suffix}.npy").FirstOrDefault(File.Exists);
    }

    private static (int Count, ImageShape Shape) Layout(string path, NpyHeader header)
    {
        IReadOnlyList<int> s = header.Shape;
        ImageShape? shape = s.Count switch
        {
            2 => FlatShape(s[1]),
            3 => new ImageShape(1, s[1], s[2]),
            4 => new ImageShape(s[1], s[2], s[3]),
            _ => null,
        };
        if (shape is not { } found || found.Channels <= 0 || found.Height <= 0 || found.Width <= 0)
        {
            throw DataErrors.Malformed(path, $"an array of shape ({string.Join(", ", s)}) is not a stack of images (expected N x D, N x H x W or N x C x H x W)");
        }

        return (s[0], found);
    }

    /// <summary>Guesses the image shape of a flat row: square grey, square RGB, or a 1 x D strip.</summary>
    private static ImageShape FlatShape(int dimension)
    {
        int side = (int)Math.Round(Math.Sqrt(dimension));
        if (side * side == dimension)
        {
            return new ImageShape(1, side, side);
        }

        side = (int)Math.Round(Math.Sqrt(dimension / 3.0));
        return dimension % 3 == 0 && 3 * side * side == dimension ? new ImageShape(3, side, side) : new ImageShape(1, 1, dimension);
    }

    private static void Store(ReadOnlySpan<byte> raw, NumericType type, Span<float> destination)
    {
        NumericConversion.Convert(raw, type, destination);
        if (NumericConversion.IsInteger(type))
        {
            TensorPrimitives.Divide(destination, PixelScaling.MaxValue, destination);
        }
    }

    private static byte[] ReadLabels(string path, int total, int count, CancellationToken cancellationToken)
    {
        NpyArray array = NpyFile.Read(path, cancellationToken);
        bool column = array.Shape.Count == 1 || (array.Shape.Count == 2 && array.Shape[1] == 1);
        if (!NumericConversion.IsInteger(array.ElementType) || !column || array.Count != total)
        {
            throw DataErrors.Malformed(path, $"labels must be {total} integers (shape ({total},)) but the array is {array.ElementType} of shape ({string.Join(", ", array.Shape)})");
        }

        var values = new long[count];
        NumericConversion.Convert(array.RawBytes(0, count * NumericConversion.SizeOf(array.ElementType)), array.ElementType, values.AsSpan());
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = values[i] is >= 0 and <= byte.MaxValue
                ? (byte)values[i]
                : throw DataErrors.Malformed(path, $"label {i} is {values[i]}, outside 0-255");
        }

        return labels;
    }
}
