using System.Runtime.InteropServices;

namespace StarNet.Data;

/// <summary>An n-dimensional numeric array as read from or written to a <c>.npy</c> file, in C (row-major) order.</summary>
public sealed class NpyArray
{
    private NpyArray(Array data, NumericType elementType, int[] shape)
    {
        Data = data;
        ElementType = elementType;
        Shape = shape;
    }

    /// <summary>The elements, C order: a <c>byte[]</c>, <c>float[]</c>, ... matching <see cref="ElementType"/>.</summary>
    public Array Data { get; }

    /// <summary>The element type.</summary>
    public NumericType ElementType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of elements.</summary>
    public int Count => Data.Length;

    /// <summary>Wraps <paramref name="data"/> (not copied) as an array of the given shape.</summary>
    /// <typeparam name="T">One of byte, sbyte, ushort, short, uint, int, ulong, long, float, double.</typeparam>
    /// <param name="data">The elements in C order.</param>
    /// <param name="shape">The dimensions; their product must be <c>data.Length</c>.</param>
    /// <returns>The array.</returns>
    /// <exception cref="ArgumentException">The shape does not match the length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported.</exception>
    public static NpyArray Create<T>(T[] data, params ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(data.Length, shape);
        return new NpyArray(data, NumericConversion.TypeOf<T>(), shape.ToArray());
    }

    /// <summary>The elements as <typeparamref name="T"/>[] (no copy).</summary>
    /// <typeparam name="T">The element type the array holds.</typeparam>
    /// <returns>The data array.</returns>
    /// <exception cref="InvalidOperationException">The array holds another type.</exception>
    public T[] GetData<T>()
        where T : unmanaged =>
        Data as T[] ?? throw new InvalidOperationException($"The array holds {ElementType}, not {typeof(T).Name}.");

    /// <summary>Makes an array over data read from a file.</summary>
    internal static NpyArray FromFile(Array data, NumericType elementType, IReadOnlyList<int> shape) => new(data, elementType, [.. shape]);

    /// <summary>The raw bytes of the elements, in host byte order.</summary>
    internal Span<byte> RawBytes(long offset, int length) =>
        MemoryMarshal.CreateSpan(ref System.Runtime.CompilerServices.Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Data), (nint)offset), length);

    /// <summary>Throws unless the product of <paramref name="shape"/> is <paramref name="length"/>.</summary>
    internal static void CheckShape(long length, ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (int dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            product = checked(product * dim);
        }

        if (product != length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) holds {product} elements but the data has {length}.", nameof(shape));
        }
    }
}
