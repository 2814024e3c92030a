using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.IO;

/// <summary>
/// Moves spans of 1-, 4- and 8-byte primitives to and from little-endian bytes. On little-endian
/// machines (all that .NET runs on in practice) the bytes are copied as they are, which keeps every
/// bit, NaN payloads and negative zero included; on big-endian machines each element is byte-swapped.
/// </summary>
internal static class LittleEndian
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Writes <paramref name="values"/> to <paramref name="stream"/> as little-endian bytes.</summary>
    public static void Write<T>(Stream stream, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        int size = Unsafe.SizeOf<T>();
        if (BitConverter.IsLittleEndian || size == 1)
        {
            stream.Write(bytes);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (!bytes.IsEmpty)
            {
                int n = Math.Min(bytes.Length, ChunkBytes - (ChunkBytes % size));
                Span<byte> chunk = buffer.AsSpan(0, n);
                bytes[..n].CopyTo(chunk);
                ByteOrder.ReverseElements(chunk, size);
                stream.Write(chunk);
                bytes = bytes[n..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Turns little-endian bytes already copied into <paramref name="values"/> into native order.</summary>
    public static void FixUpAfterRead<T>(Span<T> values)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (!BitConverter.IsLittleEndian && size > 1)
        {
            ByteOrder.ReverseElements(MemoryMarshal.AsBytes(values), size);
        }
    }
}
