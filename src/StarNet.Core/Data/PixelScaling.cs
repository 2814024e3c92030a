using System.Runtime.CompilerServices;

namespace StarNet.Data;

/// <summary>Turns 8-bit pixel values into floats in [0, 1].</summary>
internal static class PixelScaling
{
    /// <summary>The divisor that maps 255 to 1.</summary>
    public const float MaxValue = 255f;

    /// <summary><c>i / 255f</c> for every byte value <c>i</c>: a lookup is exact and far faster than converting.</summary>
    private static readonly float[] Table = [.. Enumerable.Range(0, 256).Select(i => i / MaxValue)];

    /// <summary>Writes <c>source[i] / 255</c> to <c>destination[i]</c>.</summary>
    /// <param name="source">Pixel bytes.</param>
    /// <param name="destination">Where the scaled values go; at least as long as <paramref name="source"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToUnitRange(ReadOnlySpan<byte> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        ReadOnlySpan<float> table = Table;
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }
}
