using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// <c>y_i := alpha (A_i . x) + beta y_i</c> over the contiguous rows of a row-major A (BLAS xGEMV without
/// transpose): four rows at a time, so each vector load of x feeds four FMAs and four independent accumulator
/// chains hide the FMA latency. 512-bit vectors when the active instruction set is
/// <see cref="InstructionSet.Vector512"/>, 256-bit for <see cref="InstructionSet.Vector256"/>, a plain loop
/// otherwise (the reference the vector paths are tested against); one body over <see cref="IVectorLanes{T, TV}"/>. The single right-hand-side pseudo-inverse solve
/// is this kernel (docs/lapack.md).
/// </summary>
internal static unsafe class GemvRowsKernel
{
    /// <summary>Runs the product; y must not overlap A or x and has one entry per row of A; x has A's column count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(T alpha, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Cols;
        if (m == 0)
        {
            return;
        }

        nint ld = a.Stride;
        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        fixed (T* a0 = a.Span, px = x)
        {
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                T* r = a0 + (i * ld);
                (T d0, T d1, T d2, T d3) = isa switch
                {
                    InstructionSet.Vector512 => Dot4<T, Vector512<T>, Lanes512<T>>(r, ld, px, n),
                    InstructionSet.Vector256 => Dot4<T, Vector256<T>, Lanes256<T>>(r, ld, px, n),
                    _ => Dot4<T, T, LanesScalar<T>>(r, ld, px, n),
                };
                y[i] = Combine(alpha, d0, beta, y[i]);
                y[i + 1] = Combine(alpha, d1, beta, y[i + 1]);
                y[i + 2] = Combine(alpha, d2, beta, y[i + 2]);
                y[i + 3] = Combine(alpha, d3, beta, y[i + 3]);
            }

            for (; i < m; i++)
            {
                T* r = a0 + (i * ld);
                T d = T.Zero;
                for (int j = 0; j < n; j++)
                {
                    d += r[j] * px[j];
                }

                y[i] = Combine(alpha, d, beta, y[i]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Combine<T>(T alpha, T dot, T beta, T y)
        where T : unmanaged, IFloatingPointIeee754<T> => beta == T.Zero ? alpha * dot : (alpha * dot) + (beta * y);

    /// <summary>The dot products of rows r, r + ld, r + 2 ld, r + 3 ld with x: whole vectors, then the tail one element at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T, T, T, T) Dot4<T, TV, TL>(T* r, nint ld, T* x, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count, j = 0;
        TV v0 = TL.Create(T.Zero), v1 = v0, v2 = v0, v3 = v0;
        for (; j + w <= n; j += w)
        {
            TV xv = TL.Load(x + j);
            T* q = r + j;
            v0 = TL.Fma(TL.Load(q), xv, v0);
            v1 = TL.Fma(TL.Load(q + ld), xv, v1);
            v2 = TL.Fma(TL.Load(q + (2 * ld)), xv, v2);
            v3 = TL.Fma(TL.Load(q + (3 * ld)), xv, v3);
        }

        T s0 = TL.Sum(v0), s1 = TL.Sum(v1), s2 = TL.Sum(v2), s3 = TL.Sum(v3);
        for (; j < n; j++)
        {
            T xj = x[j];
            T* q = r + j;
            s0 += q[0] * xj;
            s1 += q[ld] * xj;
            s2 += q[2 * ld] * xj;
            s3 += q[3 * ld] * xj;
        }

        return (s0, s1, s2, s3);
    }
}
