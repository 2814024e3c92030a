using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.IO;

namespace StarNet.Core.Tests.IO;

public sealed class SafeTensorsRoundTripTests
{
    /// <summary>A tensor to write: floating-point elements given as raw bit patterns so NaN payloads survive comparison.</summary>
    public sealed record TensorSpec(string Name, SafeTensorDType DType, long[] Shape, ulong[] Bits)
    {
        public override string ToString() => $"{Name}: {DType}[{string.Join(",", Shape)}] ({Bits.Length} elements)";
    }

    private static readonly ulong[] SpecialDoubleBits =
    [
        0x8000_0000_0000_0000UL, // -0.0
        0x7FF8_0000_0000_0001UL, // quiet NaN with payload
        0x7FF0_0000_0000_0001UL, // signalling NaN
        0xFFF8_DEAD_BEEF_0000UL, // negative NaN with payload
        0x7FF0_0000_0000_0000UL, // +inf
        0x0000_0000_0000_0001UL, // smallest subnormal
    ];

    private static readonly uint[] SpecialSingleBits =
    [
        0x8000_0000U, // -0.0f
        0x7FC0_0001U, // quiet NaN with payload
        0x7F80_0001U, // signalling NaN
        0xFFC1_2345U, // negative NaN with payload
        0xFF80_0000U, // -inf
        0x0000_0001U, // smallest subnormal
    ];

    private static readonly string[] NamePrefixes = ["w", "layer.0.weight", "decoder/bias", "ε-scale", "", "a b"];

    private static Gen<ulong> ElementBits(SafeTensorDType dtype)
    {
        Gen<ulong> random = Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(p => ((ulong)(uint)p.Item1 << 32) | (uint)p.Item2)
            .Select(b => dtype == SafeTensorDType.F32 ? b & 0xFFFF_FFFFUL : b);
        Gen<ulong> special = dtype == SafeTensorDType.F32
            ? Gen.Elements(SpecialSingleBits).Select(b => (ulong)b)
            : Gen.Elements(SpecialDoubleBits);
        return Gen.Frequency((4, random), (1, special));
    }

    private static Gen<TensorSpec> Tensor(int index) =>
        from dtype in Gen.Elements(SafeTensorDType.F32, SafeTensorDType.F64)
        from rank in Gen.Choose(0, 3)
        from shape in Gen.Choose(0, 4).Select(d => (long)d).ArrayOf(rank)
        from bits in ElementBits(dtype).ArrayOf(checked((int)shape.Aggregate(1L, (a, b) => a * b)))
        from prefix in Gen.Elements(NamePrefixes)
        select new TensorSpec($"{prefix}{index}", dtype, shape, bits);

    private static readonly Arbitrary<(TensorSpec[] Tensors, Dictionary<string, string> Metadata)> Files =
        (from count in Gen.Choose(0, 5)
         from tensors in Gen.CollectToArray(Enumerable.Range(0, count), Tensor)
         from metadataCount in Gen.Choose(0, 3)
         from values in Gen.Elements("", "mnist", "{\"json\": 1}", "ünïcode ✓", "line\nbreak").ArrayOf(metadataCount)
         select (tensors, values.Select((v, i) => ($"key{i}", v)).ToDictionary(p => p.Item1, p => p.v)))
        .ToArbitrary();

    [Property(MaxTest = 60)]
    public Property Random_tensor_sets_round_trip_bit_for_bit() =>
        Prop.ForAll(Files, file =>
        {
            using var folder = new TempFolder();
            string path = folder.File("model.safetensors");
            var writer = new SafeTensorsWriter();
            foreach (TensorSpec t in file.Tensors)
            {
                Add(writer, t);
            }

            foreach ((string key, string value) in file.Metadata)
            {
                writer.Metadata[key] = value;
            }

            writer.Save(path);

            using SafeTensorsReader reader = SafeTensorsReader.Open(path);
            Assert.Equal(file.Tensors.Select(t => t.Name), reader.Tensors.Select(t => t.Name));
            Assert.Equal(file.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), reader.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
            foreach (TensorSpec t in file.Tensors)
            {
                SafeTensorInfo info = reader.GetInfo(t.Name);
                Assert.Equal(t.DType, info.DType);
                Assert.Equal(t.Shape, info.Shape);
                Assert.Equal(t.Bits.Length, info.ElementCount);
                Assert.Equal(t.Bits, ReadBits(reader, t));
            }

            Assert.Equal(0UL, HeaderLength(path) % 8);
        });

    [Fact]
    public void Special_values_keep_every_bit()
    {
        using var folder = new TempFolder();
        string path = folder.File("special.safetensors");
        float[] singles = [.. SpecialSingleBits.Select(BitConverter.UInt32BitsToSingle)];
        double[] doubles = [.. SpecialDoubleBits.Select(BitConverter.UInt64BitsToDouble)];
        new SafeTensorsWriter().Add("s", singles, singles.Length).Add("d", doubles, 2, 3).Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal(SpecialSingleBits, reader.GetTensor<float>("s").Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(SpecialDoubleBits, reader.GetTensor<double>("d").Select(BitConverter.DoubleToUInt64Bits));
    }

    [Fact]
    public void Header_is_padded_with_spaces_to_a_multiple_of_eight()
    {
        using var folder = new TempFolder();
        for (int nameLength = 1; nameLength <= 9; nameLength++)
        {
            string path = folder.File($"pad{nameLength}.safetensors");
            new SafeTensorsWriter().Add(new string('x', nameLength), new float[] { 1f }, 1).Save(path);
            byte[] bytes = File.ReadAllBytes(path);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0UL, n % 8);
            string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)n);
            Assert.EndsWith("}", header.TrimEnd(' '));
            Assert.True(header.Length - header.TrimEnd(' ').Length < 8);
            Assert.Equal(8 + (int)n + 4, bytes.Length);
        }
    }

    [Fact]
    public void Integer_dtypes_scalars_and_spans_round_trip()
    {
        using var folder = new TempFolder();
        string path = folder.File("ints.safetensors");
        new SafeTensorsWriter()
            .Add("i64", new long[] { long.MinValue, -1, 0, long.MaxValue }, 2, 2)
            .Add("i32", new int[] { int.MinValue, 7, int.MaxValue }, 3)
            .Add("u8", new byte[] { 0, 128, 255 }, 1, 3)
            .Add("scalar", new double[] { Math.PI })
            .Add("span", (ReadOnlySpan<float>)[1f, 2f], 2)
            .Add("empty", Array.Empty<double>(), 0, 5)
            .Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal([long.MinValue, -1, 0, long.MaxValue], reader.GetTensor<long>("i64"));
        Assert.Equal([int.MinValue, 7, int.MaxValue], reader.GetTensor<int>("i32"));
        Assert.Equal([0, 128, 255], reader.GetTensor<byte>("u8"));
        Assert.Equal([Math.PI], reader.GetTensor<double>("scalar"));
        Assert.Empty(reader.GetInfo("scalar").Shape);
        Assert.Equal([1f, 2f], reader.GetTensor<float>("span"));
        Assert.Equal([0L, 5L], reader.GetInfo("empty").Shape);
        Assert.Empty(reader.GetTensor<double>("empty"));
    }

    [Fact]
    public void F32_reads_as_double_only_when_asked()
    {
        using var folder = new TempFolder();
        string path = folder.File("f32.safetensors");
        new SafeTensorsWriter().Add("x", new float[] { 0.1f, -2.5f }, 2).Add("n", new int[] { 1 }, 1).Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        var e = Assert.Throws<InvalidOperationException>(() => reader.GetTensor<double>("x"));
        Assert.Contains("F32", e.Message);
        Assert.Equal([(double)0.1f, -2.5], reader.GetTensorAsDouble("x"));
        Assert.Throws<InvalidOperationException>(() => reader.GetTensorAsDouble("n"));
    }

    [Fact]
    public void Lookups_report_missing_tensors()
    {
        using var folder = new TempFolder();
        string path = folder.File("one.safetensors");
        new SafeTensorsWriter().Add("x", new float[] { 1f, 2f }, 2).Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.True(reader.Contains("x"));
        Assert.False(reader.TryGetTensor<float>("y", out _));
        Assert.True(reader.TryGetTensor<float>("x", out float[]? x));
        Assert.Equal([1f, 2f], x);
        Assert.Throws<KeyNotFoundException>(() => reader.GetTensor<float>("y"));
        var buffer = new float[2];
        reader.ReadTensor<float>("x", buffer);
        Assert.Equal([1f, 2f], buffer);
        Assert.Throws<ArgumentException>(() => reader.ReadTensor<float>("x", new float[3]));
    }

    [Fact]
    public void Writer_rejects_bad_arguments()
    {
        var writer = new SafeTensorsWriter().Add("x", new float[] { 1f }, 1);
        Assert.Throws<ArgumentException>(() => writer.Add("x", new float[] { 1f }, 1));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", new float[] { 1f }, 1));
        Assert.Throws<ArgumentException>(() => writer.Add("y", new float[] { 1f, 2f }, 3));
        Assert.Throws<ArgumentException>(() => writer.Add("z", new float[] { 1f, 2f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add("w", Array.Empty<float>(), -1));
        Assert.Throws<ArgumentException>(() => writer.Add("big", SafeTensorDType.F64, [long.MaxValue / 2, 4], _ => { }));
        Assert.Throws<ArgumentException>(() => writer.Add("\uD800", new float[] { 1f }, 1));
        Assert.Equal(1, writer.Count);
    }

    private static void Add(SafeTensorsWriter writer, TensorSpec t)
    {
        if (t.DType == SafeTensorDType.F32)
        {
            writer.Add(t.Name, t.Bits.Select(b => BitConverter.UInt32BitsToSingle((uint)b)).ToArray(), t.Shape);
        }
        else
        {
            writer.Add(t.Name, t.Bits.Select(BitConverter.UInt64BitsToDouble).ToArray(), t.Shape);
        }
    }

    private static ulong[] ReadBits(SafeTensorsReader reader, TensorSpec t) =>
        t.DType == SafeTensorDType.F32
            ? [.. reader.GetTensor<float>(t.Name).Select(f => (ulong)BitConverter.SingleToUInt32Bits(f))]
            : [.. reader.GetTensor<double>(t.Name).Select(BitConverter.DoubleToUInt64Bits)];

    private static ulong HeaderLength(string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        using FileStream stream = File.OpenRead(path);
        stream.ReadExactly(prefix);
        return BinaryPrimitives.ReadUInt64LittleEndian(prefix);
    }
}
