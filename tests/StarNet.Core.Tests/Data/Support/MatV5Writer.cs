using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StarNet.Core.Tests.Data.Support;

/// <summary>One numeric variable to write: MATLAB class id, dimensions, storage data type id and raw little-endian data.</summary>
public sealed record MatVar(string Name, int ClassId, int[] Dims, int DataType, byte[] Data);

/// <summary>
/// A minimal MATLAB level 5 writer for tests: 128-byte header, miMATRIX elements (array flags, dimensions,
/// name, real part, small-data-element format for data of 4 bytes or less), optionally each wrapped in
/// an miCOMPRESSED (zlib) element as MATLAB v7 does.
/// </summary>
public static class MatV5Writer
{
    public const int ClassDouble = 6;
    public const int ClassUInt8 = 9;
    public const int ClassChar = 4;
    public const int MiInt8 = 1;
    public const int MiUInt8 = 2;
    public const int MiInt32 = 5;
    public const int MiUInt32 = 6;
    public const int MiDouble = 9;
    public const int MiMatrix = 14;
    public const int MiCompressed = 15;

    public static byte[] Build(bool compress, params MatVar[] variables)
    {
        using var output = new MemoryStream();
        output.Write(Header());
        foreach (MatVar variable in variables)
        {
            byte[] matrix = Matrix(variable);
            if (compress)
            {
                using var packed = new MemoryStream();
                using (var zlib = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
                {
                    zlib.Write(matrix);
                }

                byte[] z = packed.ToArray();
                WriteTag(output, MiCompressed, z.Length);
                output.Write(z); // compressed elements are not padded
            }
            else
            {
                output.Write(matrix);
            }
        }

        return output.ToArray();
    }

    public static byte[] Header()
    {
        var header = new byte[128];
        header.AsSpan(0, 116).Fill((byte)' ');
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: test").CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), 0x0100);
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        return header;
    }

    public static byte[] Doubles(IEnumerable<double> values) =>
        [.. values.SelectMany(v => BitConverter.GetBytes(v))];

    /// <summary>A whole miMATRIX element (tag included) for <paramref name="variable"/>.</summary>
    public static byte[] Matrix(MatVar variable)
    {
        using var body = new MemoryStream();
        var flags = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)variable.ClassId);
        WriteElement(body, MiUInt32, flags, allowSmall: false);
        byte[] dims = new byte[4 * variable.Dims.Length];
        for (int i = 0; i < variable.Dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(dims.AsSpan(4 * i), variable.Dims[i]);
        }

        WriteElement(body, MiInt32, dims, allowSmall: false);
        WriteElement(body, MiInt8, Encoding.ASCII.GetBytes(variable.Name), allowSmall: true);
        WriteElement(body, variable.DataType, variable.Data, allowSmall: true);
        using var element = new MemoryStream();
        WriteTag(element, MiMatrix, (int)body.Length);
        body.WriteTo(element);
        return element.ToArray();
    }

    private static void WriteElement(Stream stream, int type, byte[] data, bool allowSmall)
    {
        if (allowSmall && data.Length <= 4)
        {
            var small = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(small, (uint)((data.Length << 16) | type));
            data.CopyTo(small, 4);
            stream.Write(small);
            return;
        }

        WriteTag(stream, type, data.Length);
        stream.Write(data);
        stream.Write(new byte[(8 - (data.Length % 8)) % 8]);
    }

    private static void WriteTag(Stream stream, int type, int size)
    {
        var tag = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(tag, (uint)type);
        BinaryPrimitives.WriteUInt32LittleEndian(tag.AsSpan(4), (uint)size);
        stream.Write(tag);
    }
}
