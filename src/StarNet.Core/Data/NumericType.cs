namespace StarNet.Data;

/// <summary>The element types of numeric arrays in <c>.npy</c> and <c>.mat</c> files.</summary>
public enum NumericType
{
    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>, numpy <c>u1</c>).</summary>
    UInt8,

    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>, numpy <c>i1</c>).</summary>
    Int8,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>, numpy <c>u2</c>).</summary>
    UInt16,

    /// <summary>Signed 16-bit integer (<see cref="short"/>, numpy <c>i2</c>).</summary>
    Int16,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>, numpy <c>u4</c>).</summary>
    UInt32,

    /// <summary>Signed 32-bit integer (<see cref="int"/>, numpy <c>i4</c>).</summary>
    Int32,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>, numpy <c>u8</c>).</summary>
    UInt64,

    /// <summary>Signed 64-bit integer (<see cref="long"/>, numpy <c>i8</c>).</summary>
    Int64,

    /// <summary>32-bit float (<see cref="float"/>, numpy <c>f4</c>).</summary>
    Float32,

    /// <summary>64-bit float (<see cref="double"/>, numpy <c>f8</c>).</summary>
    Float64,
}
