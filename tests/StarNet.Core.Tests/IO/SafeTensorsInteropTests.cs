using System.Text;
using StarNet.IO;

namespace StarNet.Core.Tests.IO;

/// <summary>
/// Byte-level compatibility with the reference (Python/Rust) safetensors library. No Python with numpy is
/// available to the tests, so the expected file is spelled out byte by byte as
/// <c>safetensors.numpy.save({"a": np.array([[1, 2], [3, 4]], np.float32), "b": np.array([0.5, -0.0, np.inf]),}, metadata={"format": "np"})</c>
/// produces it: tensors sorted by dtype (F64 before F32) then name, compact JSON with <c>__metadata__</c>
/// first and keys dtype, shape, data_offsets, the header padded with spaces to a multiple of 8.
/// </summary>
public sealed class SafeTensorsInteropTests
{
    private const string HeaderJson =
        "{\"__metadata__\":{\"format\":\"np\"}," +
        "\"b\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}," +
        "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[24,40]}}";

    private static byte[] ReferenceFile() =>
    [
        // u64 little-endian header length: 143 bytes of JSON + 1 space of padding = 144 = 0x90.
        0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        .. Encoding.ASCII.GetBytes(HeaderJson + " "),

        // b: F64 [0.5, -0.0, +inf], little-endian.
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x3F,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x7F,

        // a: F32 [[1, 2], [3, 4]], row-major, little-endian.
        0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40,
        0x00, 0x00, 0x40, 0x40, 0x00, 0x00, 0x80, 0x40,
    ];

    [Fact]
    public void Reads_a_file_laid_out_as_the_reference_library_writes_it()
    {
        Assert.Equal(143, HeaderJson.Length);
        using var folder = new TempFolder();
        string path = folder.File("reference.safetensors");
        File.WriteAllBytes(path, ReferenceFile());

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal(["b", "a"], reader.Tensors.Select(t => t.Name));
        Assert.Equal("np", reader.Metadata["format"]);
        Assert.Equal(SafeTensorDType.F32, reader.GetInfo("a").DType);
        Assert.Equal([2L, 2L], reader.GetInfo("a").Shape);
        Assert.Equal([1f, 2f, 3f, 4f], reader.GetTensor<float>("a"));
        double[] b = reader.GetTensor<double>("b");
        Assert.Equal(0.5, b[0]);
        Assert.True(double.IsNegative(b[1]) && b[1] == 0.0);
        Assert.True(double.IsPositiveInfinity(b[2]));
    }

    [Fact]
    public void Writes_the_same_bytes_as_the_reference_library_for_the_same_order()
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "np";
        writer.Add("b", new[] { 0.5, -0.0, double.PositiveInfinity }, 3);
        writer.Add("a", new[] { 1f, 2f, 3f, 4f }, 2, 2);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        Assert.Equal(ReferenceFile(), stream.ToArray());
    }
}
