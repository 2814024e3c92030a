using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Level-1 row operations (BLAS ddot/daxpy/dscal shapes) on contiguous spans, used by the level-2 parts of the
/// factorizations (triangle leaves, single right-hand-side solves). They use 256-bit vectors when the active
/// instruction set (<see cref="LinearAlgebraSettings.ActiveInstructionSet"/>) allows it and the hardware
/// accelerates them, otherwise plain scalar loops; the scalar loops are the reference the vector paths are
/// tested against (by forcing <see cref="InstructionSet.Scalar"/>).
/// </summary>
internal static class VectorOps
{
    /// <summary>True when the level-1 helpers should use 256-bit vectors on this thread.</summary>
    public static bool UseVectors
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.IsHardwareAccelerated && LinearAlgebraSettings.ActiveInstructionSet >= InstructionSet.Vector256;
    }

    /// <summary>Returns x . y over the common length.</summary>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        T sum = T.Zero;
        if (UseVectors && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count;
            Vector256<T> s0 = Vector256<T>.Zero, s1 = Vector256<T>.Zero;
            for (; i + (2 * w) <= n; i += 2 * w)
            {
                s0 = Fma(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), s0);
                s1 = Fma(Vector256.LoadUnsafe(ref rx, (nuint)(i + w)), Vector256.LoadUnsafe(ref ry, (nuint)(i + w)), s1);
            }

            for (; i + w <= n; i += w)
            {
                s0 = Fma(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), s0);
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        }

        return sum;
    }

    /// <summary>y := y + a x over the length of y.</summary>
    public static void Axpy<T>(T a, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length;
        ref T rx = ref MemoryMarshal.GetReference(x);
        ref T ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (UseVectors)
        {
            int w = Vector256<T>.Count;
            Vector256<T> va = Vector256.Create(a);
            for (; i + w <= n; i += w)
            {
                Fma(va, Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
        }
    }

    /// <summary>x := a x.</summary>
    public static void Scale<T>(T a, Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => ScaleOrDivide(x, a, divide: false);

    /// <summary>x := x / a (a true division, as LAPACK's triangular solves divide by the pivot).</summary>
    public static void Divide<T>(Span<T> x, T a)
        where T : unmanaged, IFloatingPointIeee754<T> => ScaleOrDivide(x, a, divide: true);

    private static void ScaleOrDivide<T>(Span<T> x, T a, bool divide)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        ref T rx = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (UseVectors)
        {
            int w = Vector256<T>.Count;
            Vector256<T> va = Vector256.Create(a);
            for (; i + w <= n; i += w)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                (divide ? v / va : va * v).StoreUnsafe(ref rx, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref T xi = ref Unsafe.Add(ref rx, i);
            xi = divide ? xi / a : a * xi;
        }
    }

    /// <summary>y := y - x (elementwise) over the length of y.</summary>
    public static void Subtract<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Axpy(-T.One, x, y);

    /// <summary>Sum of squares of x accumulated in double (no overflow or underflow for float data).</summary>
    public static double SumSquaresDouble<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (T v in x)
        {
            double d = double.CreateTruncating(v);
            s += d * d;
        }

        return s;
    }

    /// <summary>acc[j] += x[j]^2 in double, for column norms of row-major matrices.</summary>
    public static void AddSquares<T>(ReadOnlySpan<T> x, Span<double> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        int j = 0;
        ref double ra = ref MemoryMarshal.GetReference(acc);
        if (UseVectors && typeof(T) == typeof(double))
        {
            ref double rx = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(x));
            for (; j + Vector256<double>.Count <= n; j += Vector256<double>.Count)
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref rx, (nuint)j);
                Vector256.FusedMultiplyAdd(v, v, Vector256.LoadUnsafe(ref ra, (nuint)j)).StoreUnsafe(ref ra, (nuint)j);
            }
        }
        else if (UseVectors && typeof(T) == typeof(float))
        {
            ref float rx = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x));
            for (; j + Vector256<float>.Count <= n; j += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref rx, (nuint)j));
                Vector256.FusedMultiplyAdd(lo, lo, Vector256.LoadUnsafe(ref ra, (nuint)j)).StoreUnsafe(ref ra, (nuint)j);
                Vector256.FusedMultiplyAdd(hi, hi, Vector256.LoadUnsafe(ref ra, (nuint)(j + 4))).StoreUnsafe(ref ra, (nuint)(j + 4));
            }
        }

        for (; j < n; j++)
        {
            double d = double.CreateTruncating(x[j]);
            Unsafe.Add(ref ra, j) += d * d;
        }
    }

    /// <summary>Index of the first non-finite (NaN or infinite) value in x, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfNonFinite<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!T.IsFinite(x[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Fused multiply-add x * y + z on 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }
}
