using System.Numerics;
using System.Runtime.InteropServices;

namespace StarNet.Data;

/// <summary>Sizes of <see cref="NumericType"/> values and conversion of their (host-order) bytes to numbers.</summary>
internal static class NumericConversion
{
    /// <summary>The size in bytes of one element.</summary>
    /// <param name="type">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    public static int SizeOf(NumericType type) => type switch
    {
        NumericType.UInt8 or NumericType.Int8 => 1,
        NumericType.UInt16 or NumericType.Int16 => 2,
        NumericType.UInt32 or NumericType.Int32 or NumericType.Float32 => 4,
        NumericType.UInt64 or NumericType.Int64 or NumericType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>Whether the type is an integer type.</summary>
    /// <param name="type">The element type.</param>
    /// <returns>False for the float types.</returns>
    public static bool IsInteger(NumericType type) => type is not (NumericType.Float32 or NumericType.Float64);

    /// <summary>The element type of a .NET type.</summary>
    /// <typeparam name="T">A primitive numeric type.</typeparam>
    /// <returns>The matching element type.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not one of the ten supported types.</exception>
    public static NumericType TypeOf<T>() => default(T) switch
    {
        byte => NumericType.UInt8,
        sbyte => NumericType.Int8,
        ushort => NumericType.UInt16,
        short => NumericType.Int16,
        uint => NumericType.UInt32,
        int => NumericType.Int32,
        ulong => NumericType.UInt64,
        long => NumericType.Int64,
        float => NumericType.Float32,
        double => NumericType.Float64,
        _ => throw new NotSupportedException($"Element type {typeof(T)} is not supported."),
    };

    /// <summary>A new zeroed array of <paramref name="length"/> elements of <paramref name="type"/>.</summary>
    /// <param name="type">The element type.</param>
    /// <param name="length">The number of elements.</param>
    /// <returns>A <c>byte[]</c>, <c>float[]</c>, ... as the type says.</returns>
    public static Array NewArray(NumericType type, int length) => type switch
    {
        NumericType.UInt8 => new byte[length],
        NumericType.Int8 => new sbyte[length],
        NumericType.UInt16 => new ushort[length],
        NumericType.Int16 => new short[length],
        NumericType.UInt32 => new uint[length],
        NumericType.Int32 => new int[length],
        NumericType.UInt64 => new ulong[length],
        NumericType.Int64 => new long[length],
        NumericType.Float32 => new float[length],
        NumericType.Float64 => new double[length],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>Converts host-order elements of <paramref name="type"/> to <typeparamref name="TOut"/>.</summary>
    /// <typeparam name="TOut">The number type to produce.</typeparam>
    /// <param name="source">The raw elements; a whole number of them.</param>
    /// <param name="type">Their type.</param>
    /// <param name="destination">Where the values go; at least <c>source.Length / SizeOf(type)</c> long.</param>
    public static void Convert<TOut>(ReadOnlySpan<byte> source, NumericType type, Span<TOut> destination)
        where TOut : struct, INumberBase<TOut>
    {
        switch (type)
        {
            case NumericType.UInt8: Widen<byte, TOut>(source, destination); break;
            case NumericType.Int8: Widen<sbyte, TOut>(source, destination); break;
            case NumericType.UInt16: Widen<ushort, TOut>(source, destination); break;
            case NumericType.Int16: Widen<short, TOut>(source, destination); break;
            case NumericType.UInt32: Widen<uint, TOut>(source, destination); break;
            case NumericType.Int32: Widen<int, TOut>(source, destination); break;
            case NumericType.UInt64: Widen<ulong, TOut>(source, destination); break;
            case NumericType.Int64: Widen<long, TOut>(source, destination); break;
            case NumericType.Float32: Widen<float, TOut>(source, destination); break;
            case NumericType.Float64: Widen<double, TOut>(source, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type.");
        }
    }

    private static void Widen<TIn, TOut>(ReadOnlySpan<byte> source, Span<TOut> destination)
        where TIn : unmanaged, INumberBase<TIn>
        where TOut : struct, INumberBase<TOut>
    {
        ReadOnlySpan<TIn> values = MemoryMarshal.Cast<byte, TIn>(source);
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = TOut.CreateTruncating(values[i]);
        }
    }
}
