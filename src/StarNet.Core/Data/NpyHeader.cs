using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace StarNet.Data;

/// <summary>
/// The header of a numpy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): element type and byte
/// order (<c>descr</c>), memory order (<c>fortran_order</c>), <c>shape</c>, and where the data starts.
/// </summary>
public sealed class NpyHeader
{
    /// <summary>The largest header accepted, in bytes; numpy itself writes a few hundred.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Creates a header.</summary>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <param name="isBigEndian">Whether multi-byte elements are stored big-endian.</param>
    /// <param name="fortranOrder">Whether the data is in Fortran (column-major) order.</param>
    /// <param name="dataOffset">The file offset of the first data byte.</param>
    public NpyHeader(NumericType elementType, IReadOnlyList<int> shape, bool isBigEndian = false, bool fortranOrder = false, long dataOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ElementType = elementType;
        Shape = [.. shape];
        IsBigEndian = isBigEndian && NumericConversion.SizeOf(elementType) > 1;
        FortranOrder = fortranOrder;
        DataOffset = dataOffset;
    }

    /// <summary>The element type.</summary>
    public NumericType ElementType { get; }

    /// <summary>The dimensions (numpy <c>shape</c>); empty for a scalar.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Whether multi-byte elements are stored big-endian.</summary>
    public bool IsBigEndian { get; }

    /// <summary>Whether the data is in Fortran (column-major) order.</summary>
    public bool FortranOrder { get; }

    /// <summary>The file offset of the first data byte.</summary>
    public long DataOffset { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long Count => Shape.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>The size of the data in bytes.</summary>
    public long DataBytes => Count * NumericConversion.SizeOf(ElementType);

    /// <summary>Reads and checks the header; on return the reader is at the first data byte.</summary>
    /// <param name="file">The file, at its start.</param>
    /// <returns>The header.</returns>
    internal static NpyHeader Read(DataFile file)
    {
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix, "the npy magic string");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw file.Error("wrong magic: not a numpy .npy file (expected \\x93NUMPY)");
        }

        byte major = prefix[6];
        if (major is < 1 or > 3)
        {
            throw file.Error($"npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }

        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        file.ReadExactly(lengthBytes, "the npy header length");
        long length = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (length > MaxHeaderBytes)
        {
            throw file.Error($"npy header length {length} is larger than the limit of {MaxHeaderBytes} bytes");
        }

        var text = new byte[length];
        file.ReadExactly(text, "the npy header");
        string dictionary = major == 3 ? Encoding.UTF8.GetString(text) : Encoding.Latin1.GetString(text);
        NpyHeader header;
        try
        {
            header = Parse(dictionary, file.Position);
        }
        catch (FormatException e)
        {
            throw file.Error($"bad npy header {dictionary.Trim()}: {e.Message}", e);
        }

        long size = header.Shape.Aggregate(1L, (product, dim) => DataErrors.CheckedElements(file.Path, product, dim, "elements"));
        long bytes = size * NumericConversion.SizeOf(header.ElementType);
        file.RequireLength(header.DataOffset + bytes, $"an array {header.ShapeText()} of {header.ElementType}", exact: true);
        return header;
    }

    /// <summary>The complete header block (magic, version, length, dictionary, padding) for writing.</summary>
    /// <returns>Bytes whose length is a multiple of 64, ending in a newline.</returns>
    internal byte[] Format()
    {
        char order = NumericConversion.SizeOf(ElementType) == 1 ? '|' : BitConverter.IsLittleEndian ? '<' : '>';
        string dictionary = $"{{'descr': '{order}{Descr(ElementType)}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {ShapeText()}, }}";
        int major = dictionary.Length + 11 <= ushort.MaxValue ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dictionary.Length + 1 + 63) / 64 * 64;
        var block = new byte[total];
        Magic.CopyTo(block, 0);
        block[6] = (byte)major;
        int length = total - prefix;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(8), (ushort)length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(8), (uint)length);
        }

        Encoding.ASCII.GetBytes(dictionary, block.AsSpan(prefix));
        block.AsSpan(prefix + dictionary.Length, length - dictionary.Length - 1).Fill((byte)' ');
        block[^1] = (byte)'\n';
        return block;
    }

    private string ShapeText() => Shape.Count == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";

    private static string Descr(NumericType type) => type switch
    {
        NumericType.Float32 => "f4",
        NumericType.Float64 => "f8",
        _ => $"{(type is NumericType.UInt8 or NumericType.UInt16 or NumericType.UInt32 or NumericType.UInt64 ? 'u' : 'i')}{NumericConversion.SizeOf(type)}",
    };

    private static NpyHeader Parse(string text, long dataOffset)
    {
        var parser = new LiteralParser(text);
        Dictionary<string, object> entries = parser.ParseDictionary();
        if (!entries.TryGetValue("descr", out object? descr) || descr is not string descrText)
        {
            throw new FormatException("no 'descr' string (structured dtypes are not supported)");
        }

        bool fortran = entries.TryGetValue("fortran_order", out object? order) && order is bool b
            ? b
            : throw new FormatException("no 'fortran_order' True/False");
        List<long> shape = entries.TryGetValue("shape", out object? s) && s is List<long> dims
            ? dims
            : throw new FormatException("no 'shape' tuple");
        (NumericType type, bool bigEndian) = ParseDescr(descrText);
        if (shape.Any(d => d is < 0 or > int.MaxValue))
        {
            throw new FormatException($"shape dimension out of range in ({string.Join(", ", shape)})");
        }

        return new NpyHeader(type, shape.Select(d => (int)d).ToArray(), bigEndian, fortran, dataOffset);
    }

    private static (NumericType Type, bool BigEndian) ParseDescr(string descr)
    {
        bool bigEndian = descr.Length > 0 && (descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian));
        string code = descr.Length > 0 && "<>|=".Contains(descr[0], StringComparison.Ordinal) ? descr[1..] : descr;
        NumericType type = code switch
        {
            "u1" or "B" => NumericType.UInt8,
            "i1" or "b" => NumericType.Int8,
            "u2" => NumericType.UInt16,
            "i2" => NumericType.Int16,
            "u4" => NumericType.UInt32,
            "i4" => NumericType.Int32,
            "u8" => NumericType.UInt64,
            "i8" => NumericType.Int64,
            "f4" => NumericType.Float32,
            "f8" => NumericType.Float64,
            _ => throw new FormatException($"dtype '{descr}' is not supported (u1, i1, u2, i2, u4, i4, u8, i8, f4, f8 are)"),
        };
        return (type, bigEndian);
    }

    /// <summary>Parses the Python dictionary literal of an npy header: strings, True/False and integer tuples.</summary>
    private ref struct LiteralParser(string text)
    {
        private readonly string text = text;
        private int position;

        public Dictionary<string, object> ParseDictionary()
        {
            var entries = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (!TryTake('}'))
            {
                string key = ParseString();
                Expect(':');
                entries[key] = ParseValue();
                if (!TryTake(','))
                {
                    Expect('}');
                    break;
                }
            }

            return entries;
        }

        private object ParseValue()
        {
            SkipSpace();
            if (position < text.Length && text[position] is '\'' or '"')
            {
                return ParseString();
            }

            if (TryTake('('))
            {
                var values = new List<long>();
                while (!TryTake(')'))
                {
                    values.Add(ParseInteger());
                    if (!TryTake(','))
                    {
                        Expect(')');
                        break;
                    }
                }

                return values;
            }

            foreach ((string word, bool value) in new[] { ("True", true), ("False", false) })
            {
                if (string.CompareOrdinal(text, position, word, 0, word.Length) == 0)
                {
                    position += word.Length;
                    return value;
                }
            }

            throw new FormatException($"unexpected value at character {position}");
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = position < text.Length ? text[position] : '\0';
            int end = quote is '\'' or '"' ? text.IndexOf(quote, position + 1) : -1;
            if (end < 0)
            {
                throw new FormatException($"string expected at character {position}");
            }

            string value = text[(position + 1)..end];
            position = end + 1;
            return value;
        }

        private long ParseInteger()
        {
            SkipSpace();
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw new FormatException($"integer expected at character {start}");
            }

            TryTake('L');
            return value;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw new FormatException($"'{c}' expected at character {position}");
            }
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }
    }
}
