using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StarNet.Cli.Tests;

/// <summary>
/// An independent PNG reader for the tests: checks the signature and every chunk's CRC (with a bit-by-bit
/// CRC, not the table-driven one under test), reads IHDR, inflates the IDAT data and undoes all five filters.
/// Supports 8-bit grayscale and RGB, non-interlaced, which is what the report writes.
/// </summary>
internal sealed record PngFile(int Width, int Height, int BitDepth, int ColorType, IReadOnlyList<string> ChunkTypes, byte[] Pixels)
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public int Channels => ColorType == 0 ? 1 : 3;

    public ReadOnlySpan<byte> Pixel(int x, int y) => Pixels.AsSpan(((y * Width) + x) * Channels, Channels);

    public static PngFile Read(string path) => Decode(File.ReadAllBytes(path));

    public static PngFile Decode(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(Signature), "PNG signature");
        var types = new List<string>();
        var idat = new MemoryStream();
        int width = 0, height = 0, bitDepth = 0, colorType = -1;
        int offset = 8;
        while (offset < file.Length)
        {
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset)));
            ReadOnlySpan<byte> typeAndData = file.AsSpan(offset + 4, 4 + length);
            string type = Encoding.ASCII.GetString(typeAndData[..4]);
            ReadOnlySpan<byte> data = typeAndData[4..];
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 8 + length));
            Assert.True(BitwiseCrc32(typeAndData) == storedCrc, $"CRC of chunk {type}");
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    Assert.Equal(13, length);
                    width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                    height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    Assert.Equal(0, data[10]);
                    Assert.Equal(0, data[11]);
                    Assert.Equal(0, data[12]);
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            offset += 12 + length;
        }

        Assert.Equal(file.Length, offset);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.Equal(8, bitDepth);
        Assert.Contains(colorType, new[] { 0, 2 });
        int channels = colorType == 0 ? 1 : 3;

        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflater.CopyTo(raw);
        return new PngFile(width, height, bitDepth, colorType, types, Unfilter(raw.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        int stride = width * bpp;
        Assert.Equal((stride + 1) * height, raw.Length);
        var pixels = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = raw[(y * (stride + 1)) + 1 + i];
                int a = i >= bpp ? pixels[(y * stride) + i - bpp] : 0;
                int b = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                int c = i >= bpp && y > 0 ? pixels[((y - 1) * stride) + i - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter type {filter}"),
                };
                pixels[(y * stride) + i] = (byte)(x + predictor);
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1)));
            }
        }

        return ~crc;
    }
}
