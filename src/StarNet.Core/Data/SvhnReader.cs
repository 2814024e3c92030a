using System.Buffers;

namespace StarNet.Data;

/// <summary>
/// Reads SVHN cropped digits from the official MATLAB v5 <c>.mat</c> files (<c>train_32x32.mat</c>,
/// <c>test_32x32.mat</c>, <c>extra_32x32.mat</c>): variable <c>X</c>, a <c>[H, W, C, N]</c> array
/// in MATLAB column-major order (uint8 or double, values 0-255), and variable <c>y</c>, N labels
/// (<c>[N, 1]</c>, any numeric class) in which 10 stands for the digit 0 and is mapped to 0.
/// Both plain and <c>miCOMPRESSED</c> (MATLAB v7) variables are read.
/// </summary>
/// <remarks>
/// Both variables' headers are checked (dimensions, sizes, label count) before the pixels are allocated;
/// the pixels are then decompressed image by image and reordered from column-major HWC to CHW.
/// </remarks>
public static class SvhnReader
{
    /// <summary>The name of the images variable.</summary>
    public const string ImagesVariable = "X";

    /// <summary>The name of the labels variable.</summary>
    public const string LabelsVariable = "y";

    /// <summary>Reads one SVHN <c>.mat</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxCount">The largest number of images to read; the first ones are taken.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The images, scaled to [0, 1], and the labels 0-9.</returns>
    /// <exception cref="InvalidDataException">The file is malformed or lacks X or y.</exception>
    public static DatasetSplit Read(string path, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        IReadOnlyList<MatVariable> variables = MatV5File.ReadDirectory(path);
        MatVariable images = Find(path, variables, ImagesVariable);
        MatVariable labels = Find(path, variables, LabelsVariable);
        int[] d = images.Dimensions;
        if (d.Length is < 3 or > 4 || d[0] == 0 || d[1] == 0 || d[2] == 0 || d[0] > IdxReader.MaxImageSide || d[1] > IdxReader.MaxImageSide)
        {
            throw DataErrors.Malformed(path, $"variable X is {string.Join("x", d)}; expected height x width x channels x count");
        }

        var shape = new ImageShape(d[2], d[0], d[1]);
        long total = d.Length == 4 ? d[3] : 1;
        if (labels.Count != total || labels.Dimensions.Length != 2 || Math.Min(labels.Dimensions[0], labels.Dimensions[1]) > 1)
        {
            throw DataErrors.Malformed(path, $"X holds {total} images but y is {string.Join("x", labels.Dimensions)} (expected {total}x1)");
        }

        int count = (int)Math.Min(total, maxCount);
        byte[] labelData = ReadLabels(path, labels, count, cancellationToken);
        var pixels = new float[DataErrors.CheckedElements(path, count, shape.Size, "images")];
        ReadImages(path, images, shape, pixels, cancellationToken);
        return new DatasetSplit(pixels, labelData, shape);
    }

    private static MatVariable Find(string path, IReadOnlyList<MatVariable> variables, string name)
    {
        MatVariable variable = variables.FirstOrDefault(v => v.Name == name)
            ?? throw DataErrors.Malformed(path, $"no variable '{name}' (found: {string.Join(", ", variables.Select(v => v.Name))})");
        return variable.ElementType is null
            ? throw DataErrors.Malformed(path, $"variable '{name}' is of class {variable.Class}, not a real numeric array")
            : variable;
    }

    private static byte[] ReadLabels(string path, MatVariable variable, int count, CancellationToken cancellationToken)
    {
        NumericType type = variable.ElementType!.Value;
        var raw = new byte[count * NumericConversion.SizeOf(type)];
        var values = new double[count];
        using (DataFile data = MatV5File.OpenData(path, variable))
        {
            cancellationToken.ThrowIfCancellationRequested();
            data.ReadExactly(raw, "the labels y");
        }

        NumericConversion.Convert<double>(raw, type, values);
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            double value = values[i];
            if (value is < 0 or > 10 || value != Math.Floor(value))
            {
                throw DataErrors.Malformed(path, $"label y({i + 1}) is {value}; SVHN labels are 1-10 (10 for the digit 0)");
            }

            labels[i] = (byte)(value == 10 ? 0 : value);
        }

        return labels;
    }

    private static void ReadImages(string path, MatVariable variable, ImageShape shape, Span<float> pixels, CancellationToken cancellationToken)
    {
        NumericType type = variable.ElementType!.Value;
        int size = shape.Size;
        int plane = shape.Height * shape.Width;
        byte[] raw = ArrayPool<byte>.Shared.Rent(size * NumericConversion.SizeOf(type));
        float[] image = ArrayPool<float>.Shared.Rent(size);
        try
        {
            using DataFile data = MatV5File.OpenData(path, variable);
            for (int n = 0; n < pixels.Length / size; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Span<byte> bytes = raw.AsSpan(0, size * NumericConversion.SizeOf(type));
                data.ReadExactly(bytes, $"image {n + 1} of X");
                NumericConversion.Convert<float>(bytes, type, image);
                Span<float> target = pixels.Slice(n * size, size);

                // Column-major [H, W, C]: element (h, w, c) is at h + H * (w + W * c).
                for (int c = 0; c < shape.Channels; c++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        int from = (c * plane) + (w * shape.Height);
                        for (int h = 0; h < shape.Height; h++)
                        {
                            target[(c * plane) + (h * shape.Width) + w] = image[from + h] / PixelScaling.MaxValue;
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            ArrayPool<float>.Shared.Return(image);
        }
    }
}
