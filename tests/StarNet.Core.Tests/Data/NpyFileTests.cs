using System.Buffers.Binary;
using System.Text;
using FsCheck.Xunit;
using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class NpyFileTests : IDisposable
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Property(MaxTest = 60)]
    public void Every_type_round_trips_with_random_shapes(byte typeSeed, byte rankSeed, int seed)
    {
        var type = (NumericType)(typeSeed % 10);
        var random = new Random(seed);
        int[] shape = [.. Enumerable.Range(0, rankSeed % 5).Select(_ => random.Next(0, 5) == 0 ? 1 : random.Next(1, 7))];
        int count = shape.Aggregate(1, (a, b) => a * b);
        string path = folder.File($"{type}-{seed}.npy");
        NpyArray written = RandomArray(type, count, shape, random);

        NpyFile.Write(path, written);
        NpyArray read = NpyFile.Read(path);

        Assert.Equal(type, read.ElementType);
        Assert.Equal(shape, read.Shape);
        Assert.Equal(written.Data, read.Data);
        Assert.Equal(0, (new FileInfo(path).Length - ((long)count * ElementSize(type))) % 64);
        Assert.DoesNotContain(folder.FileNames(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    public void Typed_write_round_trips_edge_shapes(int rows, int columns)
    {
        float[] data = [.. Enumerable.Range(0, rows * columns).Select(i => i * 0.5f - 1)];
        string path = folder.File("edge.npy");

        NpyFile.Write<float>(path, data, [rows, columns]);
        NpyArray read = NpyFile.Read(path);

        Assert.Equal(new[] { rows, columns }, read.Shape);
        Assert.Equal(data, read.GetData<float>());
    }

    [Fact]
    public void Header_is_what_numpy_writes()
    {
        string path = folder.File("header.npy");
        NpyFile.Write<double>(path, [1, 2, 3], [3]);
        byte[] bytes = File.ReadAllBytes(path);

        Assert.Equal(Magic, bytes[..6]);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, bytes[7]);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        string header = Encoding.ASCII.GetString(bytes, 10, length);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", header.TrimEnd());
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(128, 10 + length); // numpy pads the header block to a multiple of 64 bytes
    }

    [Fact]
    public void Overwrite_is_atomic_and_leaves_no_temporary_file()
    {
        string path = folder.File("a.npy");
        NpyFile.Write<byte>(path, [1, 2], [2]);
        NpyFile.Write<byte>(path, [3, 4, 5], [3]);

        Assert.Equal(new byte[] { 3, 4, 5 }, NpyFile.Read(path).GetData<byte>());
        Assert.Equal(["a.npy"], folder.FileNames());
    }

    [Fact]
    public void Failed_write_leaves_nothing_behind()
    {
        string path = folder.File("bad.npy");
        Assert.Throws<ArgumentException>(() => NpyFile.Write<int>(path, [1, 2, 3], [2, 2]));
        Assert.Throws<NotSupportedException>(() => NpyFile.Write<decimal>(path, [1m], [1]));
        Assert.Throws<OperationCanceledException>(() => NpyFile.Write<float>(path, new float[100_000], [100_000], new CancellationToken(canceled: true)));
        Assert.Empty(folder.FileNames());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Versions_byte_orders_and_fortran_order_are_read(int version)
    {
        // 2x3 int32 array [[1, 2, 3], [4, 5, 6]] stored big-endian in Fortran order: 1, 4, 2, 5, 3, 6.
        var data = new byte[24];
        int[] fortran = [1, 4, 2, 5, 3, 6];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4 * i), fortran[i]);
        }

        string path = folder.File("fortran.npy");
        File.WriteAllBytes(path, Npy(version, "{'descr': '>i4', 'fortran_order': True, 'shape': (2, 3), }", data));

        NpyHeader header = NpyFile.ReadHeader(path);
        NpyArray read = NpyFile.Read(path);

        Assert.True(header.FortranOrder);
        Assert.True(header.IsBigEndian);
        Assert.Equal(new[] { 2, 3 }, read.Shape);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, read.GetData<int>());
    }

    [Fact]
    public void Three_dimensional_fortran_order_is_transposed()
    {
        // Shape (2, 3, 4): element (i, j, k) has value 100i + 10j + k; Fortran order has i fastest.
        var values = new List<double>();
        for (int k = 0; k < 4; k++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int i = 0; i < 2; i++)
                {
                    values.Add((100 * i) + (10 * j) + k);
                }
            }
        }

        string path = folder.File("f3.npy");
        File.WriteAllBytes(path, Npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", MatV5Writer.Doubles(values)));

        double[] read = NpyFile.Read(path).GetData<double>();

        int n = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal((100 * i) + (10 * j) + k, read[n++]);
                }
            }
        }
    }

    [Fact]
    public void Scalar_and_python2_style_headers_are_read()
    {
        string scalar = folder.File("scalar.npy");
        File.WriteAllBytes(scalar, Npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(42L)));
        string py2 = folder.File("py2.npy");
        File.WriteAllBytes(py2, Npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 1L)}", [7, 9]));

        Assert.Equal(new[] { 42L }, NpyFile.Read(scalar).GetData<long>());
        Assert.Empty(NpyFile.Read(scalar).Shape);
        Assert.Equal(new byte[] { 7, 9 }, NpyFile.Read(py2).GetData<byte>());
    }

    [Fact]
    public void Wrong_magic_is_rejected()
    {
        string path = folder.File("magic.npy");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all"));
        AssertMalformed(path, () => NpyFile.Read(path), "magic");
    }

    [Fact]
    public void Truncated_data_is_rejected()
    {
        string path = folder.File("short.npy");
        File.WriteAllBytes(path, Npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", new byte[100]));
        AssertMalformed(path, () => NpyFile.Read(path), "holds only");
    }

    [Fact]
    public void Data_longer_than_the_shape_is_rejected()
    {
        string path = folder.File("long.npy");
        File.WriteAllBytes(path, Npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [1, 2, 3, 4]));
        AssertMalformed(path, () => NpyFile.Read(path), "after the end");
    }

    [Theory]
    [InlineData("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", "not supported")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "bad npy header")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,", "bad npy header")]
    public void Bad_headers_are_rejected(string header, string fragment)
    {
        string path = folder.File("header.npy");
        File.WriteAllBytes(path, Npy(1, header, new byte[16]));
        AssertMalformed(path, () => NpyFile.Read(path), fragment);
    }

    [Fact]
    public void Shape_too_large_for_an_array_is_rejected_before_allocating()
    {
        string path = folder.File("huge.npy");
        File.WriteAllBytes(path, Npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000, 2000000000), }", []));
        AssertMalformed(path, () => NpyFile.Read(path), "fit in one array");
    }

    /// <summary>An npy file with the given header dictionary (padded to 64 bytes) and data.</summary>
    internal static byte[] Npy(int version, string dictionary, byte[] data)
    {
        int prefix = version == 1 ? 10 : 12;
        int total = (prefix + dictionary.Length + 1 + 63) / 64 * 64;
        var bytes = new byte[total + data.Length];
        Magic.CopyTo(bytes, 0);
        bytes[6] = (byte)version;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(total - prefix));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)(total - prefix));
        }

        Encoding.UTF8.GetBytes(dictionary.PadRight(total - prefix - 1) + "\n").CopyTo(bytes, prefix);
        data.CopyTo(bytes, total);
        return bytes;
    }

    private static int ElementSize(NumericType type) => type switch
    {
        NumericType.UInt8 or NumericType.Int8 => 1,
        NumericType.UInt16 or NumericType.Int16 => 2,
        NumericType.UInt32 or NumericType.Int32 or NumericType.Float32 => 4,
        _ => 8,
    };

    private static NpyArray RandomArray(NumericType type, int count, int[] shape, Random random)
    {
        byte[] raw = RandomBytes(random, count * 8);
        long Bits(int i) => BitConverter.ToInt64(raw, 8 * i);
        return type switch
        {
            NumericType.UInt8 => NpyArray.Create(raw[..count], shape),
            NumericType.Int8 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (sbyte)Bits(i)).ToArray(), shape),
            NumericType.UInt16 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (ushort)Bits(i)).ToArray(), shape),
            NumericType.Int16 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (short)Bits(i)).ToArray(), shape),
            NumericType.UInt32 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (uint)Bits(i)).ToArray(), shape),
            NumericType.Int32 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (int)Bits(i)).ToArray(), shape),
            NumericType.UInt64 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (ulong)Bits(i)).ToArray(), shape),
            NumericType.Int64 => NpyArray.Create(Enumerable.Range(0, count).Select(Bits).ToArray(), shape),
            NumericType.Float32 => NpyArray.Create(Enumerable.Range(0, count).Select(i => (float)random.NextDouble() - 0.5f).ToArray(), shape),
            _ => NpyArray.Create(Enumerable.Range(0, count).Select(i => BitConverter.Int64BitsToDouble(Bits(i) & 0x3FFF_FFFF_FFFF_FFFF)).ToArray(), shape),
        };
    }
}
