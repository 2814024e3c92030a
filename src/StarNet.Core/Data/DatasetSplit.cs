namespace StarNet.Data;

/// <summary>
/// One split of an image dataset (train or test): <see cref="Count"/> images stored as one
/// row-major <c>Count x Dimension</c> float32 matrix with values in [0, 1], and one label per image.
/// </summary>
/// <remarks>
/// The arrays are exposed without copying so that they can be handed to the linear-algebra engine;
/// callers that change them change the split.
/// </remarks>
public sealed class DatasetSplit
{
    /// <summary>Creates a split from pixels and labels it takes ownership of.</summary>
    /// <param name="pixels">Row-major <c>N x shape.Size</c> pixel values.</param>
    /// <param name="labels">One label per image (length N).</param>
    /// <param name="shape">The shape of one image.</param>
    /// <param name="hasLabels">False when the source had no labels and <paramref name="labels"/> is all zero.</param>
    /// <exception cref="ArgumentException">The lengths do not agree with the shape.</exception>
    public DatasetSplit(float[] pixels, byte[] labels, ImageShape shape, bool hasLabels = true)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        shape.Validate();
        if (pixels.Length % shape.Size != 0 || pixels.Length / shape.Size != labels.Length)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixel values and {labels.Length} labels do not make whole images of shape {shape}.");
        }

        Pixels = pixels;
        Labels = labels;
        Shape = shape;
        HasLabels = hasLabels;
    }

    /// <summary>All pixels, row-major <c>Count x Dimension</c>, each image flattened in CHW order.</summary>
    public float[] Pixels { get; }

    /// <summary>One label per image.</summary>
    public byte[] Labels { get; }

    /// <summary>The shape of one image.</summary>
    public ImageShape Shape { get; }

    /// <summary>False when the source file had no labels; <see cref="Labels"/> is then all zero.</summary>
    public bool HasLabels { get; }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of values in one image (<c>Shape.Size</c>).</summary>
    public int Dimension => Shape.Size;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    /// <param name="index">Image index in [0, <see cref="Count"/>).</param>
    /// <returns>A view of <see cref="Dimension"/> values.</returns>
    public ReadOnlySpan<float> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * Dimension, Dimension);
    }
}
