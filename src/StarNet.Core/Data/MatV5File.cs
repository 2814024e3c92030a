using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StarNet.Data;

/// <summary>
/// A minimal reader of MATLAB level 5 (v5, v6, v7) <c>.mat</c> files: the 128-byte header, data element
/// tags in both the normal and the small-data-element format, <c>miMATRIX</c> elements of numeric
/// classes (array flags, dimensions, name, real part) and <c>miCOMPRESSED</c> elements (zlib).
/// Little-endian files only. It lists the variables first, reading only their headers, so that sizes can
/// be checked before any large allocation; <see cref="OpenData"/> then streams one variable's real part.
/// </summary>
internal static class MatV5File
{
    /// <summary>MAT v5 data types (the type field of a data element tag).</summary>
    internal enum DataType
    {
        Int8 = 1,
        UInt8 = 2,
        Int16 = 3,
        UInt16 = 4,
        Int32 = 5,
        UInt32 = 6,
        Single = 7,
        Double = 9,
        Int64 = 12,
        UInt64 = 13,
        Matrix = 14,
        Compressed = 15,
        Utf8 = 16,
    }

    /// <summary>MATLAB array classes (the low byte of the array flags).</summary>
    internal enum ArrayClass
    {
        Cell = 1,
        Struct = 2,
        Object = 3,
        Char = 4,
        Sparse = 5,
        Double = 6,
        Single = 7,
        Int8 = 8,
        UInt8 = 9,
        Int16 = 10,
        UInt16 = 11,
        Int32 = 12,
        UInt32 = 13,
        Int64 = 14,
        UInt64 = 15,
    }

    private const int HeaderBytes = 128;
    private const int ComplexFlag = 0x800;
    private const int MaxNameBytes = 1 << 16;
    private const int MaxRank = 32;

    /// <summary>Lists the top-level variables of a MAT v5 file, reading only their headers.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The variables in file order.</returns>
    /// <exception cref="InvalidDataException">The file is not a little-endian MAT v5 file or is malformed.</exception>
    public static IReadOnlyList<MatVariable> ReadDirectory(string path)
    {
        var variables = new List<MatVariable>();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        ReadFileHeader(path, file);
        long position = HeaderBytes;
        Span<byte> tag = stackalloc byte[8];
        while (position < length)
        {
            if (length - position < tag.Length)
            {
                throw DataErrors.Malformed(path, $"{length - position} stray bytes at byte {position} where a data element tag was expected (truncated)");
            }

            file.Position = position;
            file.ReadExactly(tag);
            var type = (DataType)BinaryPrimitives.ReadUInt32LittleEndian(tag);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(tag[4..]);
            long content = position + tag.Length;
            if (size > length - content)
            {
                throw DataErrors.Malformed(path, $"the data element at byte {position} claims {size} bytes but only {length - content} remain (truncated)");
            }

            if (type is DataType.Matrix or DataType.Compressed && size > 0
                && ReadVariableHeader(path, length, content, size, type == DataType.Compressed) is { } variable)
            {
                variables.Add(variable);
            }

            position = content + (type == DataType.Compressed ? size : Pad8(size));
        }

        return variables;
    }

    /// <summary>Opens a stream positioned at the first byte of a variable's real part.</summary>
    /// <param name="path">The file the variable was listed from.</param>
    /// <param name="variable">The variable.</param>
    /// <returns>A reader of <see cref="MatVariable.DataBytes"/> bytes of data (decompressed when need be).</returns>
    public static DataFile OpenData(string path, MatVariable variable)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long length = file.Length;
        file.Position = variable.ElementOffset;
        Stream stream = variable.Compressed ? new ZLibStream(file, CompressionMode.Decompress) : file;
        DataFile reader = DataFile.OverStream(path, stream, length);
        try
        {
            reader.Skip(variable.DataOffset, $"the header of variable {variable.Name}");
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The numeric type stored by a MAT data type, or null when it is not numeric.</summary>
    /// <param name="type">The data type.</param>
    /// <returns>The element type.</returns>
    public static NumericType? ToNumericType(DataType type) => type switch
    {
        DataType.Int8 => NumericType.Int8,
        DataType.UInt8 => NumericType.UInt8,
        DataType.Int16 => NumericType.Int16,
        DataType.UInt16 => NumericType.UInt16,
        DataType.Int32 => NumericType.Int32,
        DataType.UInt32 => NumericType.UInt32,
        DataType.Int64 => NumericType.Int64,
        DataType.UInt64 => NumericType.UInt64,
        DataType.Single => NumericType.Float32,
        DataType.Double => NumericType.Float64,
        _ => null,
    };

    private static long Pad8(long size) => (size + 7) & ~7L;

    private static void ReadFileHeader(string path, FileStream file)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (file.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes)
        {
            throw DataErrors.Malformed(path, $"only {file.Length} bytes long: shorter than the {HeaderBytes}-byte MAT-file header (truncated or not a MAT file)");
        }

        string text = Encoding.ASCII.GetString(header[..116]);
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[124..]);
        if (text.StartsWith("MATLAB 7.3", StringComparison.Ordinal) || version == 0x0200)
        {
            throw DataErrors.Malformed(path, "MAT v7.3 files are HDF5 files and are not supported; save with -v7 or -v6");
        }

        if (header[126] == 'M' && header[127] == 'I')
        {
            throw DataErrors.Malformed(path, "big-endian MAT files are not supported");
        }

        if (!text.StartsWith("MATLAB", StringComparison.Ordinal) || header[126] != 'I' || header[127] != 'M' || version != 0x0100)
        {
            throw DataErrors.Malformed(path, "wrong header: not a MATLAB level 5 MAT-file (no 'MATLAB' text, version 0x0100 and 'IM' endian mark)");
        }
    }

    private static MatVariable? ReadVariableHeader(string path, long fileLength, long content, long size, bool compressed)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        file.Position = content;
        Stream stream = compressed ? new ZLibStream(file, CompressionMode.Decompress) : file;
        using DataFile reader = DataFile.OverStream(path, stream, fileLength);
        string where = $"the data element at byte {content - 8}";
        long matrixBytes = size;
        if (compressed)
        {
            Tag inner = ReadTag(reader, where);
            if (inner.Type != DataType.Matrix)
            {
                return null;
            }

            matrixBytes = inner.Size;
        }

        long start = reader.Position;
        Tag flagsTag = ReadTag(reader, where);
        if (flagsTag.Type != DataType.UInt32 || flagsTag.Size != 8)
        {
            throw reader.Error($"{where}: array flags expected (miUINT32, 8 bytes) but found type {(int)flagsTag.Type}, {flagsTag.Size} bytes");
        }

        Span<byte> flags = stackalloc byte[8];
        reader.ReadExactly(flags, "array flags");
        uint flagWord = BinaryPrimitives.ReadUInt32LittleEndian(flags);
        var arrayClass = (ArrayClass)(flagWord & 0xff);
        int[] dims = ReadDimensions(reader, where);
        string name = ReadName(reader, where);
        where = $"variable '{name}'";
        if (arrayClass is < ArrayClass.Double or > ArrayClass.UInt64 || (flagWord & ComplexFlag) != 0)
        {
            // Not a real numeric array: listed so that callers can name it, but without data.
            return new MatVariable(name, arrayClass, dims, null, 0, content, 0, compressed);
        }

        Tag data = ReadTag(reader, where);
        long dataBytes = data.Size;
        long dataOffset = reader.Position - (data.Small ? 4 : 0);
        NumericType storage = ToNumericType(data.Type)
            ?? throw reader.Error($"{where}: real part has data type {(int)data.Type}, which is not numeric");
        long count = 1;
        foreach (int dim in dims)
        {
            count = DataErrors.CheckedElements(path, count, dim, "values");
        }

        long needed = count * NumericConversion.SizeOf(storage);
        if (needed != dataBytes)
        {
            throw reader.Error($"{where}: dimensions {string.Join("x", dims)} need {needed} bytes of {storage} but the real part holds {dataBytes}");
        }

        long used = (dataOffset - start) + dataBytes;
        if (used > matrixBytes)
        {
            throw reader.Error($"{where}: the real part ends at byte {used} of a matrix element of {matrixBytes} bytes (truncated or corrupt)");
        }

        if (compressed && dataBytes / DataFile.MaxDeflateRatio > size)
        {
            throw reader.Error($"{where}: claims {dataBytes} bytes of data, more than a compressed element of {size} bytes can hold");
        }

        return new MatVariable(name, arrayClass, dims, storage, dataBytes, content, dataOffset, compressed);
    }

    private static Tag ReadTag(DataFile reader, string where)
    {
        Span<byte> bytes = stackalloc byte[8];
        reader.ReadExactly(bytes, $"a data element tag in {where}");
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        uint second = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if ((first >> 16) == 0)
        {
            return new Tag((DataType)first, second, Small: false, SmallData: 0);
        }

        // Small data element: size in the upper 16 bits, type in the lower, data in the second word.
        long size = first >> 16;
        return size <= 4
            ? new Tag((DataType)(first & 0xffff), size, Small: true, SmallData: second)
            : throw reader.Error($"{where}: small data element of {size} bytes (at most 4 fit)");
    }

    private static byte[] ReadElementData(DataFile reader, Tag tag, long limit, string what)
    {
        if (tag.Size > limit)
        {
            throw reader.Error($"{what} of {tag.Size} bytes is larger than the limit of {limit}");
        }

        var data = new byte[tag.Size];
        if (tag.Small)
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(word, tag.SmallData);
            word[..data.Length].CopyTo(data);
            return data;
        }

        reader.ReadExactly(data, what);
        reader.Skip(Pad8(tag.Size) - tag.Size, what);
        return data;
    }

    private static int[] ReadDimensions(DataFile reader, string where)
    {
        Tag tag = ReadTag(reader, where);
        if (tag.Type != DataType.Int32 || tag.Size % 4 != 0 || tag.Size < 8)
        {
            throw reader.Error($"{where}: dimensions expected (miINT32, at least 2) but found type {(int)tag.Type}, {tag.Size} bytes");
        }

        byte[] data = ReadElementData(reader, tag, 4 * MaxRank, "dimensions");
        var dims = new int[data.Length / 4];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4 * i));
            if (dims[i] < 0)
            {
                throw reader.Error($"{where}: dimension {i} is negative ({dims[i]})");
            }
        }

        return dims;
    }

    private static string ReadName(DataFile reader, string where) =>
        Encoding.UTF8.GetString(ReadElementData(reader, ReadTag(reader, where), MaxNameBytes, $"the array name in {where}"));

    /// <summary>A data element tag; a small element carries its data in <see cref="SmallData"/>.</summary>
    private readonly record struct Tag(DataType Type, long Size, bool Small, uint SmallData);
}
