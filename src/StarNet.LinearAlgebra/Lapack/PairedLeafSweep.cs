using System.Numerics;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The sweep of <see cref="PairedLeafFactorization"/>: one pass down rows rowStart..rowEnd-1 of a leaf whose rows are
/// one to four whole vectors, applying zero, one or two consecutive reflectors (<see cref="IReflectorCount"/>) to each
/// row in registers with one store, and accumulating what the step after it needs:
/// <list type="bullet">
/// <item>s = sum a(r) A'(r, :) and t = sum b(r) A''(r, :), the unscaled columns of S = V^T V for the two reflectors
/// (a is the row's entry in column vCol before the sweep, b its entry in column vCol + 1 after the first reflector;
/// only the lanes left of the reflectors' columns are read, and only the vectors that hold them are accumulated);</item>
/// <item>g = sum A''(r, statCol) A''(r, :) and h = sum A''(r, statCol2) A''(r, :), the Gram rows of the next two
/// columns over the swept rows (only the vectors from the first updated one are accumulated: the lanes left of
/// statCol are never read).</item>
/// </list>
/// b is formed as a scalar FMA of the same operands as its vector lane, so the second reflector is built from
/// exactly the value the row holds. With two reflectors a four-vector row keeps 28 vectors live (both scaled w, s,
/// t, g, h and the row), which fits the 32 registers of AVX-512 only. docs/lapack.md ("Tall-skinny, session 9").
/// </summary>
internal static unsafe class PairedLeafSweep
{
    /// <summary>
    /// One sweep. With TR's count of reflectors at least 1, each row takes x = A(r, :) - tau1 scale1 a w1 (w1 zero up
    /// to vCol), stores a scale1 in column vCol, and with two, x -= tau2 scale2 b w2 (w2 zero up to vCol + 1) and
    /// stores b scale2 in column vCol + 1. The first TF.Count vectors of every row are left unchanged by both
    /// reflectors. The accumulators are written (not added) to pg, ph, ps and pt, TN vectors each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TW, TV, TN, TF, TR>(
        T* a, nint lda, int rowStart, int rowEnd, int vCol, T scale1, T tau1, T* pw1, T scale2, T tau2, T* pw2,
        int statCol, int statCol2, T* pg, T* ph, T* ps, T* pt)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
        where TF : struct, IFixedVectors
        where TR : struct, IReflectorCount
    {
        int width = TW.Count;
        TV zero = TW.Create(T.Zero);
        T nt1 = -tau1 * scale1, nt2 = -tau2 * scale2;
        TV n1 = TW.Create(nt1), n2 = TW.Create(nt2);

        // w scaled by -tau * scale once per sweep (the row entries are used unscaled, as in LeafSweep).
        TV u0 = TR.Count > 0 && TF.Count < 1 ? TW.Fma(n1, TW.Load(pw1), zero) : zero;
        TV u1 = TR.Count > 0 && TF.Count < 2 && TN.Count > 1 ? TW.Fma(n1, TW.Load(pw1 + width), zero) : zero;
        TV u2 = TR.Count > 0 && TF.Count < 3 && TN.Count > 2 ? TW.Fma(n1, TW.Load(pw1 + (2 * width)), zero) : zero;
        TV u3 = TR.Count > 0 && TF.Count < 4 && TN.Count > 3 ? TW.Fma(n1, TW.Load(pw1 + (3 * width)), zero) : zero;
        TV z0 = TR.Count > 1 && TF.Count < 1 ? TW.Fma(n2, TW.Load(pw2), zero) : zero;
        TV z1 = TR.Count > 1 && TF.Count < 2 && TN.Count > 1 ? TW.Fma(n2, TW.Load(pw2 + width), zero) : zero;
        TV z2 = TR.Count > 1 && TF.Count < 3 && TN.Count > 2 ? TW.Fma(n2, TW.Load(pw2 + (2 * width)), zero) : zero;
        TV z3 = TR.Count > 1 && TF.Count < 4 && TN.Count > 3 ? TW.Fma(n2, TW.Load(pw2 + (3 * width)), zero) : zero;

        // The second reflector's entry is lane vCol + 1 of x after the first: the same product and FMA in scalar.
        T w1b = TR.Count > 1 ? nt1 * pw1[vCol + 1] : T.Zero;
        TV s0 = zero, s1 = zero, s2 = zero, s3 = zero, t0 = zero, t1 = zero, t2 = zero, t3 = zero;
        TV g0 = zero, g1 = zero, g2 = zero, g3 = zero, h0 = zero, h1 = zero, h2 = zero, h3 = zero;
        nint vc = TR.Count > 0 ? vCol : 0, vc2 = vc + 1, sc = statCol, sc2 = statCol2;
        T* row = a + (rowStart * lda);
        for (int r = rowStart; r < rowEnd; r++, row += lda)
        {
            T av = TR.Count > 0 ? row[vc] : T.Zero;
            TV va = TW.Create(av);
            TV x0 = Apply<T, TW, TV>(TW.Load(row), va, u0, TR.Count > 0 && TF.Count < 1);
            TV x1 = TN.Count > 1 ? Apply<T, TW, TV>(TW.Load(row + width), va, u1, TR.Count > 0 && TF.Count < 2) : zero;
            TV x2 = TN.Count > 2 ? Apply<T, TW, TV>(TW.Load(row + (2 * width)), va, u2, TR.Count > 0 && TF.Count < 3) : zero;
            TV x3 = TN.Count > 3 ? Apply<T, TW, TV>(TW.Load(row + (3 * width)), va, u3, TR.Count > 0 && TF.Count < 4) : zero;

            // S lanes left of vCol: the vectors up to the first updated one (the first TF.Count are not updated).
            if (TR.Count > 0)
            {
                s0 = TW.Fma(va, x0, s0);
                s1 = TN.Count > 1 && TF.Count >= 1 ? TW.Fma(va, x1, s1) : s1;
                s2 = TN.Count > 2 && TF.Count >= 2 ? TW.Fma(va, x2, s2) : s2;
                s3 = TN.Count > 3 && TF.Count >= 3 ? TW.Fma(va, x3, s3) : s3;
            }

            T bv = T.Zero;
            if (TR.Count > 1)
            {
                bv = TW.FmaScalar(av, w1b, row[vc2]);
                TV vb = TW.Create(bv);
                x0 = TF.Count < 1 ? TW.Fma(vb, z0, x0) : x0;
                x1 = TN.Count > 1 && TF.Count < 2 ? TW.Fma(vb, z1, x1) : x1;
                x2 = TN.Count > 2 && TF.Count < 3 ? TW.Fma(vb, z2, x2) : x2;
                x3 = TN.Count > 3 && TF.Count < 4 ? TW.Fma(vb, z3, x3) : x3;
                t0 = TW.Fma(vb, x0, t0);
                t1 = TN.Count > 1 && TF.Count >= 1 ? TW.Fma(vb, x1, t1) : t1;
                t2 = TN.Count > 2 && TF.Count >= 2 ? TW.Fma(vb, x2, t2) : t2;
                t3 = TN.Count > 3 && TF.Count >= 3 ? TW.Fma(vb, x3, t3) : t3;
            }

            if (TR.Count > 0)
            {
                if (TF.Count < 1)
                {
                    TW.Store(x0, row);
                }

                if (TN.Count > 1 && TF.Count < 2)
                {
                    TW.Store(x1, row + width);
                }

                if (TN.Count > 2 && TF.Count < 3)
                {
                    TW.Store(x2, row + (2 * width));
                }

                if (TN.Count > 3 && TF.Count < 4)
                {
                    TW.Store(x3, row + (3 * width));
                }

                row[vc] = av * scale1;
                if (TR.Count > 1)
                {
                    row[vc2] = bv * scale2;
                }
            }

            // The statistics are taken from the stored values, exactly what the next reflectors are built from.
            TV na = TW.Create(row[sc]), nb = TW.Create(row[sc2]);
            bool all = TR.Count == 0;
            g0 = all || TF.Count < 1 ? TW.Fma(na, x0, g0) : g0;
            h0 = all || TF.Count < 1 ? TW.Fma(nb, x0, h0) : h0;
            g1 = TN.Count > 1 && (all || TF.Count < 2) ? TW.Fma(na, x1, g1) : g1;
            h1 = TN.Count > 1 && (all || TF.Count < 2) ? TW.Fma(nb, x1, h1) : h1;
            g2 = TN.Count > 2 && (all || TF.Count < 3) ? TW.Fma(na, x2, g2) : g2;
            h2 = TN.Count > 2 && (all || TF.Count < 3) ? TW.Fma(nb, x2, h2) : h2;
            g3 = TN.Count > 3 && (all || TF.Count < 4) ? TW.Fma(na, x3, g3) : g3;
            h3 = TN.Count > 3 && (all || TF.Count < 4) ? TW.Fma(nb, x3, h3) : h3;
        }

        QrPanelFactorization.StoreAccumulators<T, TW, TV>(TN.Count, g0, g1, g2, g3, pg);
        QrPanelFactorization.StoreAccumulators<T, TW, TV>(TN.Count, h0, h1, h2, h3, ph);
        QrPanelFactorization.StoreAccumulators<T, TW, TV>(TN.Count, s0, s1, s2, s3, ps);
        QrPanelFactorization.StoreAccumulators<T, TW, TV>(TN.Count, t0, t1, t2, t3, pt);
    }

    /// <summary>x + a u when the vector is updated, x otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Apply<T, TW, TV>(TV x, TV a, TV u, bool updated)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct =>
        updated ? TW.Fma(a, u, x) : x;
}

/// <summary>How many reflectors a <see cref="PairedLeafSweep"/> instantiation applies per row (0 to 2).</summary>
internal interface IReflectorCount
{
    /// <summary>Reflectors per pass.</summary>
    static abstract int Count { get; }
}

/// <summary>A statistics-only pass.</summary>
internal readonly struct NoReflector : IReflectorCount
{
    /// <inheritdoc/>
    public static int Count => 0;
}

/// <summary>One reflector per pass.</summary>
internal readonly struct OneReflector : IReflectorCount
{
    /// <inheritdoc/>
    public static int Count => 1;
}

/// <summary>Two consecutive reflectors per pass.</summary>
internal readonly struct TwoReflectors : IReflectorCount
{
    /// <inheritdoc/>
    public static int Count => 2;
}
