namespace StarNet.IO;

/// <summary>Facts about <see cref="SafeTensorDType"/>: byte size, header spelling and matching CLR element type.</summary>
internal static class SafeTensorDTypes
{
    /// <summary>The header spellings of the supported types, for error messages.</summary>
    public const string SupportedNames = "F32, F64, I64, I32, U8";

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => 4,
        SafeTensorDType.F64 => 8,
        SafeTensorDType.I64 => 8,
        SafeTensorDType.I32 => 4,
        SafeTensorDType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The spelling used in the JSON header, e.g. <c>"F32"</c>.</summary>
    public static string ToHeaderName(SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F32 => "F32",
        SafeTensorDType.F64 => "F64",
        SafeTensorDType.I64 => "I64",
        SafeTensorDType.I32 => "I32",
        SafeTensorDType.U8 => "U8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>Parses a header spelling (case-sensitive, as the format requires).</summary>
    public static bool TryParse(string? name, out SafeTensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = SafeTensorDType.F32; return true;
            case "F64": dtype = SafeTensorDType.F64; return true;
            case "I64": dtype = SafeTensorDType.I64; return true;
            case "I32": dtype = SafeTensorDType.I32; return true;
            case "U8": dtype = SafeTensorDType.U8; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>The dtype whose elements are stored as <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not float, double, long, int or byte.</exception>
    public static SafeTensorDType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return SafeTensorDType.F32;
        }

        if (typeof(T) == typeof(double))
        {
            return SafeTensorDType.F64;
        }

        if (typeof(T) == typeof(long))
        {
            return SafeTensorDType.I64;
        }

        if (typeof(T) == typeof(int))
        {
            return SafeTensorDType.I32;
        }

        if (typeof(T) == typeof(byte))
        {
            return SafeTensorDType.U8;
        }

        throw new NotSupportedException(
            $"Element type {typeof(T).Name} has no safetensors dtype; use float, double, long, int or byte.");
    }
}
