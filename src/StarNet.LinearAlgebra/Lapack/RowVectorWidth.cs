using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The few vector operations of a row kernel, implemented once per vector width (scalar, 256-bit, 512-bit) so that
/// the kernel is written once as a generic method and the JIT compiles one specialised copy per width (the type
/// arguments are structs). <see cref="FmaScalar"/> is the scalar operation that rounds exactly like
/// <see cref="Fma"/> on one lane, for values a kernel computes ahead of its vector loop.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TV">The vector type (T itself for the scalar width).</typeparam>
internal unsafe interface IRowVectorWidth<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>x in every lane.</summary>
    static abstract TV Broadcast(T x);

    /// <summary>Loads a vector from p.</summary>
    static abstract TV Load(T* p);

    /// <summary>Stores v at p.</summary>
    static abstract void Store(TV v, T* p);

    /// <summary>x * y + z lane by lane.</summary>
    static abstract TV Fma(TV x, TV y, TV z);

    /// <summary>x * y + z rounded as one lane of <see cref="Fma"/>.</summary>
    static abstract T FmaScalar(T x, T y, T z);
}

/// <summary>The scalar width: plain multiply and add, the portable reference.</summary>
internal readonly unsafe struct ScalarRowWidth<T> : IRowVectorWidth<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Broadcast(T x) => x;

    public static T Load(T* p) => *p;

    public static void Store(T v, T* p) => *p = v;

    public static T Fma(T x, T y, T z) => (x * y) + z;

    public static T FmaScalar(T x, T y, T z) => (x * y) + z;
}

/// <summary>256-bit vectors with fused multiply-add.</summary>
internal readonly unsafe struct Vector256RowWidth<T> : IRowVectorWidth<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Broadcast(T x) => Vector256.Create(x);

    public static Vector256<T> Load(T* p) => Vector256.Load(p);

    public static void Store(Vector256<T> v, T* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z) => VectorOps.Fma(x, y, z);

    public static T FmaScalar(T x, T y, T z) => T.FusedMultiplyAdd(x, y, z);
}

/// <summary>512-bit vectors with fused multiply-add.</summary>
internal readonly unsafe struct Vector512RowWidth<T> : IRowVectorWidth<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Broadcast(T x) => Vector512.Create(x);

    public static Vector512<T> Load(T* p) => Vector512.Load(p);

    public static void Store(Vector512<T> v, T* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();

    public static T FmaScalar(T x, T y, T z) => T.FusedMultiplyAdd(x, y, z);
}
