using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The handful of vector operations a register-blocked or row kernel needs, over one vector type, so that a single
/// kernel body is compiled for 512-bit (<see cref="Lanes512{T}"/>), 256-bit (<see cref="Lanes256{T}"/>) and scalar
/// (<see cref="LanesScalar{T}"/>, the portable reference: T itself, plain multiply and add) widths. The
/// implementations are empty structs, so every call is a static, inlined call on the concrete vector type.
/// <see cref="FmaScalar"/> is the scalar operation that rounds exactly like <see cref="Fma"/> on one lane, for values
/// a kernel computes ahead of its vector loop.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TV">The vector type (T itself for the scalar width).</typeparam>
internal unsafe interface IVectorLanes<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : struct
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads Count elements from p.</summary>
    static abstract TV Load(T* p);

    /// <summary>Stores v to p.</summary>
    static abstract void Store(TV v, T* p);

    /// <summary>All lanes x.</summary>
    static abstract TV Create(T x);

    /// <summary>
    /// All lanes *p, loaded straight into the vector (one broadcast load, no scalar register and shuffle: the JIT
    /// does not fold a scalar read that reaches <see cref="Create"/> through an inlined argument).
    /// </summary>
    static abstract TV Broadcast(T* p);

    /// <summary>a * b + c, fused.</summary>
    static abstract TV Fma(TV a, TV b, TV c);

    /// <summary>
    /// c - a * b, fused where <see cref="Fma"/> is: the same bits as Fma(-a, b, c) (negation is exact), without the
    /// negation of a in the loop.
    /// </summary>
    static abstract TV Fnma(TV a, TV b, TV c);

    /// <summary>a / b lane by lane.</summary>
    static abstract TV Divide(TV a, TV b);

    /// <summary>The sum of the lanes of v.</summary>
    static abstract T Sum(TV v);

    /// <summary>x * y + z rounded as one lane of <see cref="Fma"/>.</summary>
    static abstract T FmaScalar(T x, T y, T z);
}

/// <summary>The scalar width: plain multiply and add, the portable reference.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct LanesScalar<T> : IVectorLanes<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Load(T* p) => *p;

    public static void Store(T v, T* p) => *p = v;

    public static T Create(T x) => x;

    public static T Broadcast(T* p) => *p;

    public static T Fma(T a, T b, T c) => (a * b) + c;

    public static T Fnma(T a, T b, T c) => c - (a * b);

    public static T Divide(T a, T b) => a / b;

    public static T Sum(T v) => v;

    public static T FmaScalar(T x, T y, T z) => (x * y) + z;
}

/// <summary>256-bit lanes.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct Lanes256<T> : IVectorLanes<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> v, T* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Create(T x) => Vector256.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T* p) =>
        !Avx.IsSupported ? Vector256.Create(*p)
        : typeof(T) == typeof(float) ? Avx.BroadcastScalarToVector256((float*)p).As<float, T>()
        : Avx.BroadcastScalarToVector256((double*)p).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fnma(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        !System.Runtime.Intrinsics.X86.Fma.IsSupported ? Fma(-a, b, c)
        : typeof(T) == typeof(float) ? System.Runtime.Intrinsics.X86.Fma.MultiplyAddNegated(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
        : System.Runtime.Intrinsics.X86.Fma.MultiplyAddNegated(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> v) => Vector256.Sum(v);

    public static T FmaScalar(T x, T y, T z) => T.FusedMultiplyAdd(x, y, z);
}

/// <summary>512-bit lanes.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct Lanes512<T> : IVectorLanes<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> v, T* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Create(T x) => Vector512.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T* p) => Vector512.Create(*p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fnma(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        !Avx512F.IsSupported ? Fma(-a, b, c)
        : typeof(T) == typeof(float) ? Avx512F.FusedMultiplyAddNegated(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
        : Avx512F.FusedMultiplyAddNegated(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v) => Vector512.Sum(v);

    public static T FmaScalar(T x, T y, T z) => T.FusedMultiplyAdd(x, y, z);
}
