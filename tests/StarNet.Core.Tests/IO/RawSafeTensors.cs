using System.Buffers.Binary;
using System.Text;

namespace StarNet.Core.Tests.IO;

/// <summary>Builds safetensors files byte by byte, including broken ones the writer would never produce.</summary>
internal static class RawSafeTensors
{
    /// <summary>Length prefix, the header text as UTF-8 (unpadded), then the buffer.</summary>
    public static byte[] Build(string headerJson, byte[] buffer) => Build(Encoding.UTF8.GetBytes(headerJson), buffer);

    public static byte[] Build(byte[] header, byte[] buffer) =>
        [.. LengthPrefix((ulong)header.Length), .. header, .. buffer];

    public static byte[] LengthPrefix(ulong length)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, length);
        return prefix;
    }
}
