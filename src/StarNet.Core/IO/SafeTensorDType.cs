namespace StarNet.IO;

/// <summary>
/// Element type of a tensor stored in a safetensors file. Only the types StarNet reads and writes are
/// listed; a file holding any other type (for example <c>BF16</c>) is rejected by <see cref="SafeTensorsReader"/>.
/// </summary>
public enum SafeTensorDType
{
    /// <summary>IEEE 754 binary32, little-endian (<c>"F32"</c>, <see cref="float"/>).</summary>
    F32,

    /// <summary>IEEE 754 binary64, little-endian (<c>"F64"</c>, <see cref="double"/>).</summary>
    F64,

    /// <summary>Signed 64-bit integer, little-endian (<c>"I64"</c>, <see cref="long"/>).</summary>
    I64,

    /// <summary>Signed 32-bit integer, little-endian (<c>"I32"</c>, <see cref="int"/>).</summary>
    I32,

    /// <summary>Unsigned 8-bit integer (<c>"U8"</c>, <see cref="byte"/>).</summary>
    U8,
}
