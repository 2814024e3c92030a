using System.Numerics.Tensors;

namespace StarNet.Data;

/// <summary>Turns 8-bit pixel values into floats in [0, 1].</summary>
internal static class PixelScaling
{
    /// <summary>The divisor that maps 255 to 1.</summary>
    public const float MaxValue = 255f;

    /// <summary>Writes <c>source[i] / 255</c> to <c>destination[i]</c>.</summary>
    /// <param name="source">Pixel bytes.</param>
    /// <param name="destination">Where the scaled values go; at least as long as <paramref name="source"/>.</param>
    public static void ToUnitRange(ReadOnlySpan<byte> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        TensorPrimitives.ConvertChecked(source, destination);
        TensorPrimitives.Divide(destination, MaxValue, destination);
    }
}
