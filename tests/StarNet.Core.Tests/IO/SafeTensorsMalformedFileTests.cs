using System.Text;
using StarNet.IO;

namespace StarNet.Core.Tests.IO;

/// <summary>One test per class of broken file: each must fail with an <see cref="InvalidDataException"/> naming the problem.</summary>
public sealed class SafeTensorsMalformedFileTests : IDisposable
{
    private const string FileName = "broken.safetensors";
    private static readonly byte[] EightBytes = new byte[8];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Truncated_before_the_length_prefix() =>
        AssertInvalid(new byte[5], null, "truncated", "5 bytes");

    [Fact]
    public void Truncated_inside_the_byte_buffer()
    {
        byte[] whole = RawSafeTensors.Build(Header(Entry("w", "F32", "[4]", 0, 16)), new byte[16]);
        AssertInvalid(whole[..^4], "w", "out of range", "12 bytes");
    }

    [Fact]
    public void Header_length_above_the_limit() =>
        AssertInvalid([.. RawSafeTensors.LengthPrefix(200_000_000), .. "{}"u8], null, "header length 200000000 is too large", "limit");

    [Fact]
    public void Header_length_beyond_the_end_of_the_file() =>
        AssertInvalid([.. RawSafeTensors.LengthPrefix(1000), .. "{}"u8], null, "header length 1000 is too large", "only 2 bytes");

    [Fact]
    public void Header_length_that_does_not_fit_a_signed_long() =>
        AssertInvalid([.. RawSafeTensors.LengthPrefix(ulong.MaxValue), .. "{}"u8], null, "too large");

    [Fact]
    public void Bad_json() =>
        AssertInvalid(RawSafeTensors.Build("{\"w\": {\"dtype\": ", []), null, "not valid JSON");

    [Fact]
    public void Header_that_is_not_an_object() =>
        AssertInvalid(RawSafeTensors.Build("[1, 2]", []), null, "header is a JSON array, expected an object");

    [Fact]
    public void Header_that_is_not_utf8() =>
        AssertInvalid(RawSafeTensors.Build([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), null, "not valid UTF-8");

    [Fact]
    public void Duplicate_tensor_names() =>
        AssertInvalid(
            RawSafeTensors.Build(Header(Entry("w", "F32", "[1]", 0, 4), Entry("w", "F32", "[1]", 4, 8)), EightBytes),
            "w", "duplicate key");

    [Fact]
    public void Duplicate_keys_inside_an_entry() =>
        AssertInvalid(
            RawSafeTensors.Build("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
            "w", "duplicate key 'dtype'");

    [Fact]
    public void Duplicate_metadata_keys() =>
        AssertInvalid(RawSafeTensors.Build("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", []), null, "duplicate key 'a'");

    [Fact]
    public void Gap_between_tensors() =>
        AssertInvalid(
            RawSafeTensors.Build(Header(Entry("a", "F32", "[1]", 0, 4), Entry("b", "F32", "[1]", 8, 12)), new byte[12]),
            "b", "gap", "[4, 8)");

    [Fact]
    public void Gap_at_the_start() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "F32", "[1]", 4, 8)), EightBytes), "a", "gap", "[0, 4)");

    [Fact]
    public void Overlapping_tensors() =>
        AssertInvalid(
            RawSafeTensors.Build(Header(Entry("a", "F32", "[2]", 0, 8), Entry("b", "F32", "[2]", 4, 12)), new byte[12]),
            "b", "overlap", "'a'");

    [Fact]
    public void Offsets_out_of_range() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "F64", "[2]", 0, 16)), EightBytes), "a", "out of range", "holds only 8 bytes");

    [Fact]
    public void Trailing_bytes_after_the_last_tensor() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "F32", "[1]", 0, 4)), EightBytes), null, "trailing bytes", "end at byte 4");

    [Fact]
    public void Size_mismatch_between_shape_and_offsets() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "F32", "[3]", 0, 8)), EightBytes), "a", "size mismatch", "needs 12 bytes", "span 8");

    [Fact]
    public void Element_count_overflow() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "F64", "[4611686018427387904, 4]", 0, 8)), EightBytes), "a", "overflows");

    [Fact]
    public void Offsets_ending_before_they_begin() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "U8", "[0]", 8, 0)), EightBytes), "a", "end before they begin");

    [Theory]
    [InlineData("[-1]", "shape[0] is -1")]
    [InlineData("[2.5]", "shape[0] is 2.5")]
    [InlineData("[\"2\"]", "shape[0] is \"2\"")]
    [InlineData("{}", "shape is a JSON object")]
    public void Shape_that_is_not_non_negative_integers(string shape, string expected) =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "U8", shape, 0, 0)), []), "a", expected);

    [Fact]
    public void Non_string_metadata() =>
        AssertInvalid(
            RawSafeTensors.Build($"{{\"__metadata__\":{{\"epoch\":3}},{Entry("a", "F32", "[1]", 0, 4)}}}", new byte[4]),
            null, "non-string metadata", "'epoch'", "number");

    [Fact]
    public void Metadata_that_is_not_an_object() =>
        AssertInvalid(RawSafeTensors.Build("{\"__metadata__\":[\"x\"]}", []), null, "__metadata__ is a JSON array");

    [Fact]
    public void Unknown_dtype() =>
        AssertInvalid(RawSafeTensors.Build(Header(Entry("a", "BF16", "[2]", 0, 4)), new byte[4]), "a", "unknown dtype 'BF16'", "F32");

    [Fact]
    public void Missing_and_unexpected_keys()
    {
        AssertInvalid(RawSafeTensors.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", []), "a", "missing key 'data_offsets'");
        AssertInvalid(
            RawSafeTensors.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"strides\":[1]}}", new byte[4]),
            "a", "unexpected key 'strides'");
        AssertInvalid(RawSafeTensors.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0]}}", []), "a", "data_offsets has 1 elements");
        AssertInvalid(RawSafeTensors.Build("{\"a\":5}", []), "a", "entry is a JSON number");
    }

    [Fact]
    public void Empty_header_and_buffer_is_valid()
    {
        string path = folder.File("empty.safetensors");
        File.WriteAllBytes(path, RawSafeTensors.Build("{}      ", []));
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Empty(reader.Tensors);
        Assert.Empty(reader.Metadata);
    }

    [Fact]
    public void Zero_sized_tensors_may_share_an_offset()
    {
        string path = folder.File("zeros.safetensors");
        string header = Header(Entry("a", "F32", "[0]", 4, 4), Entry("b", "F32", "[1]", 0, 4), Entry("c", "F64", "[0, 3]", 4, 4));
        File.WriteAllBytes(path, RawSafeTensors.Build(header, new byte[4]));
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal(3, reader.Tensors.Count);
        Assert.Empty(reader.GetTensor<double>("c"));
    }

    private static string Header(params string[] entries) => "{" + string.Join(",", entries) + "}";

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private void AssertInvalid(byte[] file, string? tensor, params string[] fragments)
    {
        string path = folder.File(FileName);
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsReader.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        if (tensor is not null)
        {
            Assert.Contains($"tensor '{tensor}'", e.Message);
        }

        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, e.Message);
        }
    }
}
