using System.Buffers.Binary;
using System.IO.Compression;

namespace StarNet.Core.Tests.Data.Support;

/// <summary>Writers of small IDX and CIFAR files, gzip, and checks of the readers' error messages.</summary>
public static class TestFiles
{
    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static void Write(string path, byte[] data, bool gzip) => File.WriteAllBytes(path, gzip ? Gzip(data) : data);

    /// <summary>An IDX file of unsigned bytes: magic 0x0000 08 rank, big-endian dimensions, data.</summary>
    public static byte[] Idx(byte[] data, params int[] dims)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    /// <summary>CIFAR-10 records: label then 3072 pixel bytes each.</summary>
    public static byte[] CifarRecords(byte[] labels, byte[] pixels)
    {
        var bytes = new byte[labels.Length * 3073];
        for (int n = 0; n < labels.Length; n++)
        {
            bytes[n * 3073] = labels[n];
            pixels.AsSpan(n * 3072, 3072).CopyTo(bytes.AsSpan((n * 3073) + 1));
        }

        return bytes;
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static float[] Scaled(byte[] pixels) => [.. pixels.Select(p => p / 255f)];

    /// <summary>Asserts that <paramref name="read"/> throws an <see cref="InvalidDataException"/> naming <paramref name="path"/>.</summary>
    public static InvalidDataException AssertMalformed(string path, Action read, string? fragment = null)
    {
        var error = Assert.Throws<InvalidDataException>(read);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        if (fragment is not null)
        {
            Assert.Contains(fragment, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        return error;
    }
}
