using System.Numerics;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The leaf sweep of <see cref="QrPanelFactorization"/> for a leaf whose rows are one to four whole vectors (every
/// leaf with SIMD: the default leaves are four vectors, 64 float or 32 double columns with 512-bit vectors, 32 / 16 with
/// 256-bit ones; narrower panels are padded to whole vectors), with the per-row instruction stream cut to what the
/// arithmetic needs:
/// <list type="bullet">
/// <item>the number of vectors (<see cref="IVectorCount"/>) and how many leading vectors the reflector leaves unchanged
/// (<see cref="IFixedVectors"/>) are type arguments, so there is no per-vector test in the row loop;</item>
/// <item>the reflector's row entry is used unscaled: the update takes w scaled by -tau * scale once per sweep, and
/// s = V^T A accumulates a(r, vCol) A(r, :) and is scaled once at the end, so each row needs one broadcast for both
/// (instead of a scalar multiply, a negation, a second multiply and two broadcasts);</item>
/// <item>the squared norm of the statistics column is its own lane of g (rows above it are a separate loop, so the
/// row loop has no test of the row index and no scalar accumulation);</item>
/// <item>two rows per iteration share the loop overhead and the broadcasts' address arithmetic.</item>
/// </list>
/// The rounding differs from the scalar-scaled form only in where the scale multiplies (same operation count per
/// entry); the result is the same for every thread count. docs/lapack.md ("Tall-skinny, session 6").
/// </summary>
internal static unsafe class LeafSweep
{
    /// <summary>
    /// One sweep down rows rowStart..rowEnd-1 (same contract as the general sweep in
    /// <see cref="QrPanelFactorization"/>) of a leaf TN vectors wide: when TF has a reflector, each row is updated, A(r, :) -= tau v w with
    /// v = A(r, vCol) * scale stored back, and <paramref name="ps"/> accumulates v A(r, :); when
    /// <paramref name="statCol"/> is at least 0, rows below statCol accumulate g += A(r, statCol) A(r, :) into
    /// <paramref name="pg"/> and their squared norm is returned. w is zero up to vCol.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Run<T, TW, TV, TN, TF>(T* a, nint lda, int rowStart, int rowEnd, int vCol, T scale, T tau, T* pw, int statCol, T* pg, T* ps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
        where TF : struct, IFixedVectors
    {
        int width = TW.Count;
        TV zero = TW.Create(T.Zero);
        TV ntv = TW.Create(-tau * scale);
        TV w0 = TW.Fma(ntv, TW.Load(pw), zero);
        TV w1 = TN.Count > 1 ? TW.Fma(ntv, TW.Load(pw + width), zero) : zero;
        TV w2 = TN.Count > 2 ? TW.Fma(ntv, TW.Load(pw + (2 * width)), zero) : zero;
        TV w3 = TN.Count > 3 ? TW.Fma(ntv, TW.Load(pw + (3 * width)), zero) : zero;
        TV s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        TV g0 = TW.Load(pg);
        TV g1 = TN.Count > 1 ? TW.Load(pg + width) : zero;
        TV g2 = TN.Count > 2 ? TW.Load(pg + (2 * width)) : zero;
        TV g3 = TN.Count > 3 ? TW.Load(pg + (3 * width)) : zero;
        T gStat0 = statCol >= 0 ? pg[statCol] : T.Zero;

        // Rows at or above the statistics column (the next reflector's diagonal row) only take the update.
        int gStart = statCol < 0 ? rowEnd : Math.Clamp(statCol + 1, rowStart, rowEnd);
        nint vc = TF.HasReflector ? vCol : 0, sc = statCol < 0 ? 0 : statCol;
        T* row = a + (rowStart * lda);
        for (int r = rowStart; r < gStart; r++, row += lda)
        {
            T av = TF.HasReflector ? row[vc] : T.Zero;
            TV vb = TW.Create(av);
            TV x0 = QrPanelFactorization.Update<T, TW, TV>(row, vb, w0, TF.Count > 0);
            TV x1 = TN.Count > 1 ? QrPanelFactorization.Update<T, TW, TV>(row + width, vb, w1, TF.Count > 1) : zero;
            TV x2 = TN.Count > 2 ? QrPanelFactorization.Update<T, TW, TV>(row + (2 * width), vb, w2, TF.Count > 2) : zero;
            TV x3 = TN.Count > 3 ? QrPanelFactorization.Update<T, TW, TV>(row + (3 * width), vb, w3, TF.Count > 3) : zero;
            if (TF.HasReflector)
            {
                s0 = TW.Fma(vb, x0, s0);
                s1 = TN.Count > 1 ? TW.Fma(vb, x1, s1) : s1;
                s2 = TN.Count > 2 ? TW.Fma(vb, x2, s2) : s2;
                s3 = TN.Count > 3 ? TW.Fma(vb, x3, s3) : s3;
                row[vc] = av * scale;
            }
        }

        int r2 = gStart;
        nint lda2 = 2 * lda;
        for (; r2 + 1 < rowEnd; r2 += 2, row += lda2)
        {
            T* next = row + lda;
            T av = TF.HasReflector ? row[vc] : T.Zero, bv = TF.HasReflector ? next[vc] : T.Zero;
            TV va = TW.Create(av), vb = TW.Create(bv);
            TV x0 = QrPanelFactorization.Update<T, TW, TV>(row, va, w0, TF.Count > 0);
            TV x1 = TN.Count > 1 ? QrPanelFactorization.Update<T, TW, TV>(row + width, va, w1, TF.Count > 1) : zero;
            TV x2 = TN.Count > 2 ? QrPanelFactorization.Update<T, TW, TV>(row + (2 * width), va, w2, TF.Count > 2) : zero;
            TV x3 = TN.Count > 3 ? QrPanelFactorization.Update<T, TW, TV>(row + (3 * width), va, w3, TF.Count > 3) : zero;
            TV y0 = QrPanelFactorization.Update<T, TW, TV>(next, vb, w0, TF.Count > 0);
            TV y1 = TN.Count > 1 ? QrPanelFactorization.Update<T, TW, TV>(next + width, vb, w1, TF.Count > 1) : zero;
            TV y2 = TN.Count > 2 ? QrPanelFactorization.Update<T, TW, TV>(next + (2 * width), vb, w2, TF.Count > 2) : zero;
            TV y3 = TN.Count > 3 ? QrPanelFactorization.Update<T, TW, TV>(next + (3 * width), vb, w3, TF.Count > 3) : zero;

            // The statistics are taken from the stored values, exactly what the next reflector is built from.
            // (Broadcasting it from the register with vpermps instead was 20-50% slower per row.)
            TV na = TW.Create(row[sc]), nb = TW.Create(next[sc]);
            if (TF.HasReflector)
            {
                s0 = TW.Fma(va, x0, s0);
                s1 = TN.Count > 1 ? TW.Fma(va, x1, s1) : s1;
                s2 = TN.Count > 2 ? TW.Fma(va, x2, s2) : s2;
                s3 = TN.Count > 3 ? TW.Fma(va, x3, s3) : s3;
            }

            g0 = TW.Fma(na, x0, g0);
            g1 = TN.Count > 1 ? TW.Fma(na, x1, g1) : g1;
            g2 = TN.Count > 2 ? TW.Fma(na, x2, g2) : g2;
            g3 = TN.Count > 3 ? TW.Fma(na, x3, g3) : g3;
            if (TF.HasReflector)
            {
                s0 = TW.Fma(vb, y0, s0);
                s1 = TN.Count > 1 ? TW.Fma(vb, y1, s1) : s1;
                s2 = TN.Count > 2 ? TW.Fma(vb, y2, s2) : s2;
                s3 = TN.Count > 3 ? TW.Fma(vb, y3, s3) : s3;
                row[vc] = av * scale;
                next[vc] = bv * scale;
            }

            g0 = TW.Fma(nb, y0, g0);
            g1 = TN.Count > 1 ? TW.Fma(nb, y1, g1) : g1;
            g2 = TN.Count > 2 ? TW.Fma(nb, y2, g2) : g2;
            g3 = TN.Count > 3 ? TW.Fma(nb, y3, g3) : g3;
        }

        if (r2 < rowEnd)
        {
            T av = TF.HasReflector ? row[vc] : T.Zero;
            TV vb = TW.Create(av);
            TV x0 = QrPanelFactorization.Update<T, TW, TV>(row, vb, w0, TF.Count > 0);
            TV x1 = TN.Count > 1 ? QrPanelFactorization.Update<T, TW, TV>(row + width, vb, w1, TF.Count > 1) : zero;
            TV x2 = TN.Count > 2 ? QrPanelFactorization.Update<T, TW, TV>(row + (2 * width), vb, w2, TF.Count > 2) : zero;
            TV x3 = TN.Count > 3 ? QrPanelFactorization.Update<T, TW, TV>(row + (3 * width), vb, w3, TF.Count > 3) : zero;
            TV nb = TW.Create(row[sc]);
            if (TF.HasReflector)
            {
                s0 = TW.Fma(vb, x0, s0);
                s1 = TN.Count > 1 ? TW.Fma(vb, x1, s1) : s1;
                s2 = TN.Count > 2 ? TW.Fma(vb, x2, s2) : s2;
                s3 = TN.Count > 3 ? TW.Fma(vb, x3, s3) : s3;
                row[vc] = av * scale;
            }

            g0 = TW.Fma(nb, x0, g0);
            g1 = TN.Count > 1 ? TW.Fma(nb, x1, g1) : g1;
            g2 = TN.Count > 2 ? TW.Fma(nb, x2, g2) : g2;
            g3 = TN.Count > 3 ? TW.Fma(nb, x3, g3) : g3;
        }

        if (TF.HasReflector)
        {
            TV vs = TW.Create(scale);
            TW.Store(TW.Fma(vs, s0, TW.Load(ps)), ps);
            if (TN.Count > 1)
            {
                TW.Store(TW.Fma(vs, s1, TW.Load(ps + width)), ps + width);
            }

            if (TN.Count > 2)
            {
                TW.Store(TW.Fma(vs, s2, TW.Load(ps + (2 * width))), ps + (2 * width));
            }

            if (TN.Count > 3)
            {
                TW.Store(TW.Fma(vs, s3, TW.Load(ps + (3 * width))), ps + (3 * width));
            }
        }

        if (statCol < 0)
        {
            // No statistics column: the g accumulators took products with zero only.
            return T.Zero;
        }

        QrPanelFactorization.StoreAccumulators<T, TW, TV>(TN.Count, g0, g1, g2, g3, pg);
        return pg[statCol] - gStat0;
    }
}

/// <summary>How many vectors wide the rows of a <see cref="LeafSweep"/> instantiation are (1 to 4).</summary>
internal interface IVectorCount
{
    /// <summary>Vectors per row.</summary>
    static abstract int Count { get; }
}

/// <summary>Rows of one vector.</summary>
internal readonly struct OneVector : IVectorCount
{
    /// <inheritdoc/>
    public static int Count => 1;
}

/// <summary>Rows of two vectors.</summary>
internal readonly struct TwoVectors : IVectorCount
{
    /// <inheritdoc/>
    public static int Count => 2;
}

/// <summary>Rows of three vectors.</summary>
internal readonly struct ThreeVectors : IVectorCount
{
    /// <inheritdoc/>
    public static int Count => 3;
}

/// <summary>Rows of four vectors.</summary>
internal readonly struct FourVectors : IVectorCount
{
    /// <inheritdoc/>
    public static int Count => 4;
}

/// <summary>
/// How many leading vectors of a leaf row the current reflector leaves unchanged (w is zero there), and
/// whether the sweep applies a reflector at all: constants of a <see cref="LeafSweep"/> instantiation.
/// </summary>
internal interface IFixedVectors
{
    /// <summary>Leading vectors that are only read.</summary>
    static abstract int Count { get; }

    /// <summary>False for a statistics-only sweep (no reflector to apply).</summary>
    static abstract bool HasReflector { get; }
}

/// <summary>The reflector changes every vector of the row.</summary>
internal readonly struct NoFixedVectors : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 0;

    /// <inheritdoc/>
    public static bool HasReflector => true;
}

/// <summary>The first vector is unchanged.</summary>
internal readonly struct OneFixedVector : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <inheritdoc/>
    public static bool HasReflector => true;
}

/// <summary>The first two vectors are unchanged.</summary>
internal readonly struct TwoFixedVectors : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 2;

    /// <inheritdoc/>
    public static bool HasReflector => true;
}

/// <summary>The first three vectors are unchanged.</summary>
internal readonly struct ThreeFixedVectors : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 3;

    /// <inheritdoc/>
    public static bool HasReflector => true;
}

/// <summary>All four vectors are unchanged (in a four-vector leaf: its last reflector, whose entries are only scaled and s accumulated).</summary>
internal readonly struct FourFixedVectors : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 4;

    /// <inheritdoc/>
    public static bool HasReflector => true;
}

/// <summary>A statistics-only sweep: no reflector.</summary>
internal readonly struct StatisticsOnly : IFixedVectors
{
    /// <inheritdoc/>
    public static int Count => 4;

    /// <inheritdoc/>
    public static bool HasReflector => false;
}
