using System.Text.Json;
using System.Text.Unicode;

namespace StarNet.IO;

/// <summary>
/// The parsed and fully validated JSON header of a safetensors file. Parsing checks every rule of the
/// format against the size of the byte buffer, so that a reader can trust the offsets afterwards.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header length accepted, in bytes (the limit the Python library uses too).</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The reserved key of the optional string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    private SafeTensorsHeader(
        IReadOnlyList<SafeTensorInfo> tensors,
        Dictionary<string, SafeTensorInfo> byName,
        IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        ByName = byName;
        Metadata = metadata;
    }

    /// <summary>The tensors in the order of their bytes in the buffer (ties in header order).</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> ByName { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Builds the exception for a broken file; the message names the file, the tensor and the condition.</summary>
    public static InvalidDataException Invalid(string path, string? tensor, string condition)
    {
        string where = tensor is null ? string.Empty : $", tensor '{tensor}'";
        return new InvalidDataException($"Invalid safetensors file '{path}'{where}: {condition}.");
    }

    /// <summary>Parses and validates a header.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="json">The header bytes (UTF-8 JSON, possibly padded with spaces).</param>
    /// <param name="bufferLength">The length of the byte buffer after the header.</param>
    /// <exception cref="InvalidDataException">The header breaks a rule of the format.</exception>
    public static SafeTensorsHeader Parse(string path, ReadOnlyMemory<byte> json, long bufferLength)
    {
        if (!Utf8.IsValid(json.Span))
        {
            throw Invalid(path, null, "header is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException e)
        {
            throw Invalid(path, null, $"header is not valid JSON ({e.Message})");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, null, $"header is a JSON {Describe(root.ValueKind)}, expected an object");
            }

            var tensors = new List<SafeTensorInfo>();
            var byName = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            bool sawMetadata = false;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                string name = property.Name;
                if (name == MetadataKey)
                {
                    if (sawMetadata)
                    {
                        throw Invalid(path, null, $"duplicate key '{MetadataKey}' in header");
                    }

                    sawMetadata = true;
                    metadata = ParseMetadata(path, property.Value);
                    continue;
                }

                if (byName.ContainsKey(name))
                {
                    throw Invalid(path, name, "duplicate key: the tensor name appears twice in the header");
                }

                SafeTensorInfo info = ParseTensor(path, name, property.Value, bufferLength);
                byName.Add(name, info);
                tensors.Add(info);
            }

            // Stable: tensors at the same offset (zero-sized ones) keep their header order.
            List<SafeTensorInfo> sorted = [.. tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd)];
            CheckContiguous(path, sorted, bufferLength);
            return new SafeTensorsHeader(sorted.AsReadOnly(), byName, metadata);
        }
    }

    private static void CheckContiguous(string path, List<SafeTensorInfo> sorted, long bufferLength)
    {
        long expected = 0;
        SafeTensorInfo? previous = null;
        foreach (SafeTensorInfo t in sorted)
        {
            if (t.DataBegin > expected)
            {
                throw Invalid(path, t.Name,
                    $"gap in the byte buffer: bytes [{expected}, {t.DataBegin}) before this tensor belong to no tensor");
            }

            if (t.DataBegin < expected)
            {
                throw Invalid(path, t.Name,
                    $"overlap: data_offsets [{t.DataBegin}, {t.DataEnd}] overlap tensor '{previous!.Name}', which ends at {expected}");
            }

            expected = t.DataEnd;
            previous = t;
        }

        if (expected != bufferLength)
        {
            throw Invalid(path, null,
                $"trailing bytes: the tensors end at byte {expected} but the byte buffer holds {bufferLength} bytes");
        }
    }

    private static SafeTensorInfo ParseTensor(string path, string name, JsonElement entry, long bufferLength)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, name,
                $"entry is a JSON {Describe(entry.ValueKind)}, expected an object with dtype, shape and data_offsets");
        }

        JsonElement? dtypeElement = null;
        JsonElement? shapeElement = null;
        JsonElement? offsetsElement = null;
        foreach (JsonProperty field in entry.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype":
                    break;
                case "shape":
                    slot = ref shapeElement;
                    break;
                case "data_offsets":
                    slot = ref offsetsElement;
                    break;
                default:
                    throw Invalid(path, name, $"unexpected key '{field.Name}' (allowed: dtype, shape, data_offsets)");
            }

            if (slot.HasValue)
            {
                throw Invalid(path, name, $"duplicate key '{field.Name}'");
            }

            slot = field.Value;
        }

        SafeTensorDType dtype = ParseDType(path, name, Require(path, name, dtypeElement, "dtype"));
        long[] shape = ParseIntegers(path, name, Require(path, name, shapeElement, "shape"), "shape", expectedCount: null);
        long[] offsets = ParseIntegers(path, name, Require(path, name, offsetsElement, "data_offsets"), "data_offsets", expectedCount: 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin)
        {
            throw Invalid(path, name, $"data_offsets [{begin}, {end}] end before they begin");
        }

        long elementCount;
        long byteLength;
        try
        {
            elementCount = TensorShape.ElementCount(shape);
            byteLength = checked(elementCount * SafeTensorDTypes.SizeOf(dtype));
        }
        catch (OverflowException)
        {
            throw Invalid(path, name, $"size of shape {TensorShape.Format(shape)} of {dtype} overflows a 64-bit byte count");
        }

        if (byteLength != end - begin)
        {
            throw Invalid(path, name,
                $"size mismatch: shape {TensorShape.Format(shape)} of {dtype} needs {byteLength} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        }

        if (end > bufferLength)
        {
            throw Invalid(path, name,
                $"data_offsets [{begin}, {end}] out of range: the byte buffer holds only {bufferLength} bytes");
        }

        return new SafeTensorInfo(name, dtype, shape, elementCount, begin, end);
    }

    private static JsonElement Require(string path, string name, JsonElement? element, string key) =>
        element ?? throw Invalid(path, name, $"missing key '{key}'");

    private static SafeTensorDType ParseDType(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, name, $"dtype is a JSON {Describe(element.ValueKind)}, expected a string");
        }

        string? text = element.GetString();
        if (!SafeTensorDTypes.TryParse(text, out SafeTensorDType dtype))
        {
            throw Invalid(path, name, $"unknown dtype '{text}' (supported: {SafeTensorDTypes.SupportedNames})");
        }

        return dtype;
    }

    private static long[] ParseIntegers(string path, string name, JsonElement element, string key, int? expectedCount)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, name, $"{key} is a JSON {Describe(element.ValueKind)}, expected an array");
        }

        int count = element.GetArrayLength();
        if (expectedCount is int expected && count != expected)
        {
            throw Invalid(path, name, $"{key} has {count} elements, expected {expected}");
        }

        var values = new long[count];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw Invalid(path, name, $"{key}[{i}] is {item.GetRawText()}, expected a non-negative integer");
            }

            values[i++] = value;
        }

        return values;
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, null,
                $"{MetadataKey} is a JSON {Describe(element.ValueKind)}, expected an object of strings");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, null,
                    $"non-string metadata: {MetadataKey} value of '{entry.Name}' is a JSON {Describe(entry.Value.ValueKind)}, expected a string");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Invalid(path, null, $"duplicate key '{entry.Name}' in {MetadataKey}");
            }
        }

        return metadata;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
