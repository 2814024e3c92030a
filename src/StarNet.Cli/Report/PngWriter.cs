using System.Buffers.Binary;
using System.IO.Compression;
using StarNet.IO;

namespace StarNet.Cli.Report;

/// <summary>
/// Encodes a <see cref="RasterImage"/> as a PNG: 8-bit grayscale (colour type 0) or 8-bit RGB (colour type 2),
/// not interlaced, every scanline with filter type 0, one zlib-compressed IDAT chunk.
/// </summary>
public static class PngWriter
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes the image to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The PNG file to create or replace; its folder must exist.</param>
    /// <param name="image">The image.</param>
    public static void Write(string path, RasterImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => Encode(image, stream));
    }

    /// <summary>The PNG file's bytes.</summary>
    /// <param name="image">The image.</param>
    /// <returns>A complete PNG file.</returns>
    public static byte[] Encode(RasterImage image)
    {
        using var stream = new MemoryStream();
        Encode(image, stream);
        return stream.ToArray();
    }

    /// <summary>Writes a complete PNG file to a stream.</summary>
    /// <param name="image">The image.</param>
    /// <param name="stream">A writable stream.</param>
    public static void Encode(RasterImage image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)image.Width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)image.Height);
        header[8] = 8; // bit depth
        header[9] = image.Channels == 1 ? (byte)0 : (byte)2; // grayscale or truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering (we always pick filter 0)
        header[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, header);
        WriteChunk(stream, "IDAT"u8, Compress(image));
        WriteChunk(stream, "IEND"u8, []);
    }

    private static byte[] Compress(RasterImage image)
    {
        int rowBytes = image.Width * image.Channels;
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(image.Pixels, y * rowBytes, rowBytes);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        stream.Write(word);
    }
}
