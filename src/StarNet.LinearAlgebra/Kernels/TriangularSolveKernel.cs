using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The TRSM diagonal kernel: L X = B for a lower triangle L of order n and the n rows of B, solved forward, with the
/// right-hand sides held in registers. B is cut into strips of columns (512-bit strips of two and one vectors when
/// that tier is active, then 256-bit strips of two and one vectors, then scalar columns); in a strip, rows are finished four at a time:
/// <code>
///   acc_r := B[i0 + r, strip]                     (r = 0..3, two vectors each: 8 accumulators)
///   for k &lt; i0:  acc_r -= L[i0 + r, k] X[k, strip]   (per k: two loads of X[k], four broadcasts, eight FMAs)
///   then the 4 x 4 diagonal triangle in registers: X[i0 + r] := (acc_r - sum_{i0 &lt;= k &lt; i0 + r} L[i0 + r, k] X[k]) / L[i0 + r, i0 + r]
/// </code>
/// Every X entry is b minus the products in increasing k, then divided by the pivot (as LAPACK's dtrsm divides),
/// so the vector and scalar paths round alike apart from FMA contraction. L is addressed through a pointer and
/// two signed strides, so one forward kernel serves upper/transposed triangles and backward solves (the caller
/// reverses the index order by negating the strides).
/// </summary>
internal static unsafe class TriangularSolveKernel
{
    /// <summary>Solves L X = B in place with the vectors of <paramref name="isa"/>; L[i, k] is at l + i*lrs + k*lcs, B[i, j] at b + i*ldb + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLower<T>(T* l, nint lrs, nint lcs, int n, bool unit, T* b, nint ldb, int cols, InstructionSet isa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (isa >= InstructionSet.Vector512)
        {
            j = Strips<T, Vector512<T>, Lanes512<T>>(l, lrs, lcs, n, unit, b, ldb, cols);
        }

        // Columns narrower than a 512-bit strip still take 256-bit vectors. (Tiers the hardware lacks are emulated
        // by the runtime, exact but slow, as for GEMM; the active tier never exceeds the hardware outside tests.)
        if (isa >= InstructionSet.Vector256)
        {
            j += Strips<T, Vector256<T>, Lanes256<T>>(l, lrs, lcs, n, unit, b + j, ldb, cols - j);
        }

        if (j < cols)
        {
            Scalar(l, lrs, lcs, n, unit, b + j, ldb, cols - j);
        }
    }

    /// <summary>The vector strips (two vectors wide, then one); returns the first column left for the scalar path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Strips<T, TV, TL>(T* l, nint lrs, nint lcs, int n, bool unit, T* b, nint ldb, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count;
        int j = 0;
        for (; j + (2 * w) <= cols; j += 2 * w)
        {
            StripOfTwo<T, TV, TL>(l, lrs, lcs, n, unit, b + j, ldb);
        }

        for (; j + w <= cols; j += w)
        {
            StripOfOne<T, TV, TL>(l, lrs, lcs, n, unit, b + j, ldb);
        }

        return j;
    }

    /// <summary>A strip two vectors wide: four rows at a time (8 accumulators), then single rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StripOfTwo<T, TV, TL>(T* l, nint lrs, nint lcs, int n, bool unit, T* b, nint ldb)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count;
        int i0 = 0;
        for (; i0 + 4 <= n; i0 += 4)
        {
            T* b0 = b + (i0 * ldb), b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            T* l0 = l + (i0 * lrs), l1 = l0 + lrs, l2 = l1 + lrs, l3 = l2 + lrs;
            TV c00 = TL.Load(b0), c01 = TL.Load(b0 + w);
            TV c10 = TL.Load(b1), c11 = TL.Load(b1 + w);
            TV c20 = TL.Load(b2), c21 = TL.Load(b2 + w);
            TV c30 = TL.Load(b3), c31 = TL.Load(b3 + w);
            T* xk = b;
            nint lk = 0;
            for (int k = 0; k < i0; k++, xk += ldb, lk += lcs)
            {
                TV x0 = TL.Load(xk), x1 = TL.Load(xk + w);
                TV a = TL.Create(-l0[lk]);
                c00 = TL.Fma(a, x0, c00);
                c01 = TL.Fma(a, x1, c01);
                a = TL.Create(-l1[lk]);
                c10 = TL.Fma(a, x0, c10);
                c11 = TL.Fma(a, x1, c11);
                a = TL.Create(-l2[lk]);
                c20 = TL.Fma(a, x0, c20);
                c21 = TL.Fma(a, x1, c21);
                a = TL.Create(-l3[lk]);
                c30 = TL.Fma(a, x0, c30);
                c31 = TL.Fma(a, x1, c31);
            }

            // The 4 x 4 diagonal triangle, row by row, in the same order (increasing k, then the division).
            nint d = i0 * lcs;
            Finish<T, TV, TL>(l0, d, unit, ref c00, ref c01);
            TV a1 = TL.Create(-l1[d]), a2 = TL.Create(-l2[d]), a3 = TL.Create(-l3[d]);
            c10 = TL.Fma(a1, c00, c10);
            c11 = TL.Fma(a1, c01, c11);
            Finish<T, TV, TL>(l1, d + lcs, unit, ref c10, ref c11);
            c20 = TL.Fma(a2, c00, c20);
            c21 = TL.Fma(a2, c01, c21);
            a2 = TL.Create(-l2[d + lcs]);
            c20 = TL.Fma(a2, c10, c20);
            c21 = TL.Fma(a2, c11, c21);
            Finish<T, TV, TL>(l2, d + (2 * lcs), unit, ref c20, ref c21);
            c30 = TL.Fma(a3, c00, c30);
            c31 = TL.Fma(a3, c01, c31);
            a3 = TL.Create(-l3[d + lcs]);
            c30 = TL.Fma(a3, c10, c30);
            c31 = TL.Fma(a3, c11, c31);
            a3 = TL.Create(-l3[d + (2 * lcs)]);
            c30 = TL.Fma(a3, c20, c30);
            c31 = TL.Fma(a3, c21, c31);
            Finish<T, TV, TL>(l3, d + (3 * lcs), unit, ref c30, ref c31);
            TL.Store(c00, b0);
            TL.Store(c01, b0 + w);
            TL.Store(c10, b1);
            TL.Store(c11, b1 + w);
            TL.Store(c20, b2);
            TL.Store(c21, b2 + w);
            TL.Store(c30, b3);
            TL.Store(c31, b3 + w);
        }

        for (; i0 < n; i0++)
        {
            T* bi = b + (i0 * ldb), li = l + (i0 * lrs);
            TV c0 = TL.Load(bi), c1 = TL.Load(bi + w);
            T* xk = b;
            nint lk = 0;
            for (int k = 0; k < i0; k++, xk += ldb, lk += lcs)
            {
                TV a = TL.Create(-li[lk]);
                c0 = TL.Fma(a, TL.Load(xk), c0);
                c1 = TL.Fma(a, TL.Load(xk + w), c1);
            }

            Finish<T, TV, TL>(li, i0 * lcs, unit, ref c0, ref c1);
            TL.Store(c0, bi);
            TL.Store(c1, bi + w);
        }
    }

    /// <summary>A strip one vector wide, four rows at a time, then single rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StripOfOne<T, TV, TL>(T* l, nint lrs, nint lcs, int n, bool unit, T* b, nint ldb)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int i0 = 0;
        for (; i0 + 4 <= n; i0 += 4)
        {
            T* b0 = b + (i0 * ldb), b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            T* l0 = l + (i0 * lrs), l1 = l0 + lrs, l2 = l1 + lrs, l3 = l2 + lrs;
            TV c0 = TL.Load(b0), c1 = TL.Load(b1), c2 = TL.Load(b2), c3 = TL.Load(b3);
            T* xk = b;
            nint lk = 0;
            for (int k = 0; k < i0; k++, xk += ldb, lk += lcs)
            {
                TV x = TL.Load(xk);
                c0 = TL.Fma(TL.Create(-l0[lk]), x, c0);
                c1 = TL.Fma(TL.Create(-l1[lk]), x, c1);
                c2 = TL.Fma(TL.Create(-l2[lk]), x, c2);
                c3 = TL.Fma(TL.Create(-l3[lk]), x, c3);
            }

            nint d = i0 * lcs;
            c0 = Divide<T, TV, TL>(c0, l0[d], unit);
            c1 = Divide<T, TV, TL>(TL.Fma(TL.Create(-l1[d]), c0, c1), l1[d + lcs], unit);
            c2 = TL.Fma(TL.Create(-l2[d]), c0, c2);
            c2 = Divide<T, TV, TL>(TL.Fma(TL.Create(-l2[d + lcs]), c1, c2), l2[d + (2 * lcs)], unit);
            c3 = TL.Fma(TL.Create(-l3[d]), c0, c3);
            c3 = TL.Fma(TL.Create(-l3[d + lcs]), c1, c3);
            c3 = Divide<T, TV, TL>(TL.Fma(TL.Create(-l3[d + (2 * lcs)]), c2, c3), l3[d + (3 * lcs)], unit);
            TL.Store(c0, b0);
            TL.Store(c1, b1);
            TL.Store(c2, b2);
            TL.Store(c3, b3);
        }

        for (; i0 < n; i0++)
        {
            T* bi = b + (i0 * ldb), li = l + (i0 * lrs);
            TV c = TL.Load(bi);
            T* xk = b;
            nint lk = 0;
            for (int k = 0; k < i0; k++, xk += ldb, lk += lcs)
            {
                c = TL.Fma(TL.Create(-li[lk]), TL.Load(xk), c);
            }

            TL.Store(Divide<T, TV, TL>(c, li[i0 * lcs], unit), bi);
        }
    }

    /// <summary>The portable path (and the last columns of the vector path): each row minus its finished rows, in increasing k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(T* l, nint lrs, nint lcs, int n, bool unit, T* b, nint ldb, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            T* bi = b + (i * ldb), li = l + (i * lrs);
            for (int k = 0; k < i; k++)
            {
                T lik = li[k * lcs];
                T* xk = b + (k * ldb);
                for (int j = 0; j < cols; j++)
                {
                    bi[j] -= lik * xk[j];
                }
            }

            if (!unit)
            {
                T lii = li[i * lcs];
                for (int j = 0; j < cols; j++)
                {
                    bi[j] /= lii;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T, TV, TL>(T* li, nint diag, bool unit, ref TV c0, ref TV c1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        if (!unit)
        {
            TV d = TL.Create(li[diag]);
            c0 = TL.Divide(c0, d);
            c1 = TL.Divide(c1, d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Divide<T, TV, TL>(TV c, T d, bool unit)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV> => unit ? c : TL.Divide(c, TL.Create(d));
}
