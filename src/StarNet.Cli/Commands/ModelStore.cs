using System.Globalization;
using StarNet.Data;
using StarNet.IO;
using StarNet.Model;

namespace StarNet.Cli.Commands;

/// <summary>What the tool stores in a model file beside the model: the dataset's name and the shape of its images.</summary>
/// <param name="Dataset">The dataset the model was trained on.</param>
/// <param name="Shape">The shape of one image (so pictures can be drawn from the model alone).</param>
internal sealed record ModelInfo(string Dataset, ImageShape Shape)
{
    /// <summary>The metadata key of the dataset name.</summary>
    public const string DatasetKey = "dataset";

    /// <summary>The metadata key of the image shape, <c>CxHxW</c>.</summary>
    public const string ShapeKey = "image_shape";

    /// <summary>The metadata entries to store.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DatasetKey] = Dataset,
        [ShapeKey] = Shape.ToString(),
    };

    /// <summary>Reads the entries back; null when they are missing or malformed (a model written by other code).</summary>
    /// <param name="metadata">The file's metadata.</param>
    /// <param name="outputDimension">The model's output width, which the shape must match.</param>
    /// <returns>The information, or null.</returns>
    public static ModelInfo? FromMetadata(IReadOnlyDictionary<string, string> metadata, int outputDimension)
    {
        if (!metadata.TryGetValue(ShapeKey, out string? text))
        {
            return null;
        }

        int[] parts = [.. text.Split('x').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0)];
        if (parts.Length != 3 || parts.Any(p => p <= 0) || (long)parts[0] * parts[1] * parts[2] != outputDimension)
        {
            return null;
        }

        return new ModelInfo(metadata.GetValueOrDefault(DatasetKey, string.Empty), new ImageShape(parts[0], parts[1], parts[2]));
    }

    /// <summary>
    /// A plausible image shape for <paramref name="dimension"/> values when the file does not say: a square grey image
    /// (784 = 1x28x28), else a square RGB image (3072 = 3x32x32), else one row of pixels.
    /// </summary>
    /// <param name="dimension">The number of values per image.</param>
    /// <returns>The shape.</returns>
    public static ImageShape GuessShape(int dimension)
    {
        int side = (int)Math.Round(Math.Sqrt(dimension));
        if (side * side == dimension)
        {
            return new ImageShape(1, side, side);
        }

        int rgb = (int)Math.Round(Math.Sqrt(dimension / 3.0));
        return 3 * rgb * rgb == dimension ? new ImageShape(3, rgb, rgb) : new ImageShape(1, 1, dimension);
    }
}

/// <summary>Saves and loads models for the tool: <see cref="ModelFile"/> plus the tool's <see cref="ModelInfo"/> in the metadata.</summary>
internal static class ModelStore
{
    /// <summary>Writes the model and its information, atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The model.</param>
    /// <param name="info">The dataset name and image shape.</param>
    public static void Save(string path, StarNetModel<float> model, ModelInfo info) =>
        ModelFile.Save(model, path, info.ToMetadata());

    /// <summary>Reads a model file written by <see cref="Save"/> (or by any code that uses <see cref="ModelFile"/>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model and, when the file has it, the information.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid StarNet model.</exception>
    public static (StarNetModel<float> Model, ModelInfo? Info) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Directory.Exists(path) ? $"{path}: is a folder, not a model file" : $"{path}: no such model file", path);
        }

        StarNetModel<float> model = ModelFile.Load<float>(path);
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        return (model, ModelInfo.FromMetadata(reader.Metadata, model.Architecture.OutputDimension));
    }

    /// <summary>The file's metadata, for <c>starnet info</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Every metadata entry.</returns>
    public static IReadOnlyDictionary<string, string> Metadata(string path)
    {
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        return reader.Metadata.ToDictionary(StringComparer.Ordinal);
    }
}
