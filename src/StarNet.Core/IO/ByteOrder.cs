using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace StarNet.IO;

/// <summary>Reverses the byte order of every element of a span of raw bytes (the one byte swap the readers and writers share).</summary>
internal static class ByteOrder
{
    /// <summary>Byte-swaps each <paramref name="elementSize"/>-byte element of <paramref name="bytes"/> in place.</summary>
    /// <param name="bytes">A whole number of elements.</param>
    /// <param name="elementSize">1, 2, 4 or 8; 1 leaves the bytes as they are.</param>
    /// <exception cref="NotSupportedException">Another element size.</exception>
    public static void ReverseElements(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 1:
                break;
            case 2:
                Span<ushort> u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                Span<uint> u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                Span<ulong> u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                throw new NotSupportedException($"No byte swap for {elementSize}-byte elements.");
        }
    }
}
