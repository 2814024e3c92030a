using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StarNet.IO;

/// <summary>
/// Collects named tensors and string metadata and writes them as one safetensors file: an 8-byte
/// little-endian header length, a UTF-8 JSON header padded with spaces to a multiple of 8 bytes, then the
/// tensors' little-endian, row-major bytes back to back in the order they were added.
/// </summary>
/// <remarks>
/// Arrays passed to the array overloads are kept by reference until <see cref="Save"/> or
/// <see cref="WriteTo"/> runs (no copy, so large models are not held twice); do not change them in between.
/// Span overloads copy. <see cref="Save"/> replaces the target atomically (see <see cref="AtomicFile"/>).
/// </remarks>
public sealed class SafeTensorsWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // The header is never embedded in HTML: keep non-ASCII names readable, as the Python library does.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly List<Entry> entries = [];
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    /// <summary>The <c>__metadata__</c> of the file: string keys to string values, written in ordinal key order.</summary>
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The number of tensors added so far.</summary>
    public int Count => entries.Count;

    /// <summary>Adds an F32 tensor, keeping a reference to <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, float[] data, params ReadOnlySpan<long> shape) => AddArray(name, data, shape);

    /// <summary>Adds an F32 tensor, copying <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<float> data, params ReadOnlySpan<long> shape) => AddArray(name, data.ToArray(), shape);

    /// <summary>Adds an F64 tensor, keeping a reference to <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, double[] data, params ReadOnlySpan<long> shape) => AddArray(name, data, shape);

    /// <summary>Adds an F64 tensor, copying <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<double> data, params ReadOnlySpan<long> shape) => AddArray(name, data.ToArray(), shape);

    /// <summary>Adds an I64 tensor, keeping a reference to <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, long[] data, params ReadOnlySpan<long> shape) => AddArray(name, data, shape);

    /// <summary>Adds an I32 tensor, keeping a reference to <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, int[] data, params ReadOnlySpan<long> shape) => AddArray(name, data, shape);

    /// <summary>Adds a U8 tensor, keeping a reference to <paramref name="data"/>.</summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="data">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; none for a scalar. Their product must equal the length of <paramref name="data"/>.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, byte[] data, params ReadOnlySpan<long> shape) => AddArray(name, data, shape);

    /// <summary>
    /// Adds a tensor whose bytes are produced only while the file is written, for data that should not be
    /// held in memory twice. The callback must write exactly the tensor's byte count, little-endian,
    /// row-major; if it throws or writes a different count, <see cref="Save"/> fails and leaves any existing
    /// file untouched.
    /// </summary>
    /// <param name="name">A name not yet used (and not <c>__metadata__</c>).</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <param name="writeBytes">Writes the tensor's bytes to the (forward-only) stream it is given.</param>
    /// <returns>This writer.</returns>
    public SafeTensorsWriter Add(string name, SafeTensorDType dtype, ReadOnlySpan<long> shape, Action<Stream> writeBytes)
    {
        ArgumentNullException.ThrowIfNull(writeBytes);
        long byteLength = checked(CheckedCount(shape) * SafeTensorDTypes.SizeOf(dtype));
        string shapeText = TensorShape.Format(shape);
        return AddEntry(name, dtype, shape, byteLength, stream =>
        {
            var counting = new CountingWriteStream(stream);
            writeBytes(counting);
            if (counting.BytesWritten != byteLength)
            {
                throw new InvalidOperationException(
                    $"The source of tensor '{name}' wrote {counting.BytesWritten} bytes; its shape {shapeText} of {dtype} needs {byteLength}.");
            }
        });
    }

    /// <summary>Writes the file atomically: the previous content of <paramref name="path"/> survives any failure.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    public void Save(string path) => AtomicFile.Write(path, WriteTo);

    /// <summary>Writes the whole file format to a stream (not atomically; <see cref="Save"/> is for files).</summary>
    /// <param name="stream">A writable stream.</param>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = BuildHeader();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (Entry entry in entries)
        {
            entry.WriteBytes(stream);
        }
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    internal byte[] BuildHeader()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (KeyValuePair<string, string> pair in Metadata)
                {
                    RequireWellFormed(pair.Key, "metadata key");
                    RequireWellFormed(pair.Value ?? throw new InvalidOperationException($"Metadata value of '{pair.Key}' is null."), "metadata value");
                    json.WriteString(pair.Key, pair.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (Entry entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", SafeTensorDTypes.ToHeaderName(entry.DType));
                json.WriteStartArray("shape");
                foreach (long dimension in entry.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset = checked(offset + entry.ByteLength);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        int padded = checked((buffer.WrittenCount + 7) & ~7);
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private SafeTensorsWriter AddArray<T>(string name, T[] data, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        long count = CheckedCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has {data.Length} elements but shape {TensorShape.Format(shape)} needs {count}.",
                nameof(data));
        }

        SafeTensorDType dtype = SafeTensorDTypes.Of<T>();
        return AddEntry(name, dtype, shape, checked(count * SafeTensorDTypes.SizeOf(dtype)), stream => LittleEndian.Write<T>(stream, data));
    }

    private SafeTensorsWriter AddEntry(string name, SafeTensorDType dtype, ReadOnlySpan<long> shape, long byteLength, Action<Stream> writeBytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        RequireWellFormed(name, "tensor name");
        if (name == SafeTensorsHeader.MetadataKey)
        {
            throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved for metadata.", nameof(name));
        }

        if (!names.Add(name))
        {
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        }

        entries.Add(new Entry(name, dtype, shape.ToArray(), byteLength, writeBytes));
        return this;
    }

    private static long CheckedCount(ReadOnlySpan<long> shape)
    {
        try
        {
            return TensorShape.ElementCount(shape);
        }
        catch (OverflowException e)
        {
            throw new ArgumentException($"The element count of shape {TensorShape.Format(shape)} overflows.", nameof(shape), e);
        }
    }

    private static void RequireWellFormed(string text, string what)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The {what} '{text}' is not well-formed UTF-16 (lone surrogate).", e);
        }
    }

    private sealed record Entry(string Name, SafeTensorDType DType, long[] Shape, long ByteLength, Action<Stream> WriteBytes);
}
