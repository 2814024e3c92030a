namespace StarNet.IO;

/// <summary>Element-count arithmetic on row-major shapes, with overflow checks.</summary>
internal static class TensorShape
{
    /// <summary>The product of the dimensions (1 for a rank-0 scalar).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shape[i]);
            count = checked(count * shape[i]);
        }

        return count;
    }

    /// <summary>The shape written as <c>[2, 3]</c>, for messages.</summary>
    public static string Format(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
