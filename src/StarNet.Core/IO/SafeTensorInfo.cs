using System.Collections.ObjectModel;

namespace StarNet.IO;

/// <summary>One tensor's entry in a safetensors header: name, element type, shape and where its bytes are.</summary>
public sealed class SafeTensorInfo
{
    internal SafeTensorInfo(string name, SafeTensorDType dtype, long[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        Shape = Array.AsReadOnly(shape);
        ElementCount = elementCount;
        DataBegin = begin;
        DataEnd = end;
    }

    /// <summary>The tensor's name (the key in the header).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafeTensorDType DType { get; }

    /// <summary>The dimensions, outermost first (row-major); empty for a rank-0 scalar.</summary>
    public ReadOnlyCollection<long> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar, 0 if any dimension is 0).</summary>
    public long ElementCount { get; }

    /// <summary>Offset of the first byte, relative to the start of the byte buffer that follows the header.</summary>
    public long DataBegin { get; }

    /// <summary>Offset one past the last byte, relative to the start of the byte buffer.</summary>
    public long DataEnd { get; }

    /// <summary>The number of bytes the tensor occupies: <see cref="DataEnd"/> - <see cref="DataBegin"/>.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as a new array, for callers that need one.</summary>
    /// <returns>A copy of <see cref="Shape"/>.</returns>
    public long[] GetShapeArray() => [.. Shape];

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DType}[{string.Join(", ", Shape)}] @ [{DataBegin}, {DataEnd})";
}
