using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Householder QR of a small matrix without blocking (LAPACK dgeqr2, tau only, no T), for matrices that fit in the
/// first- or second-level cache, where the blocked path's many small GEMM and TRMM calls (packing, scratch, T
/// factors) cost more than their flops. The matrix is copied into contiguous scratch whose rows are padded with
/// zeros to a whole number of vectors, so every row operation runs on whole vectors from an aligned column; one
/// sweep down the rows per column applies the current reflector and accumulates what the next column needs (its
/// squared norm and its dot products with the columns to its right), four rows at a time:
/// <code>
///   for i in 0 .. k-1:
///     beta, tau_i, v from alpha = A(i, i), sigma2 = ||A(i+1:, i)||^2                (g = A(i+1:, i)^T A(i+1:, :))
///     w := A(i, :) + g / (alpha - beta);  A(i, :) -= tau_i w                           (row i, v(i) = 1)
///     for r > i:  v_r = A(r, i) / (alpha - beta);  A(r, :) -= tau_i v_r w;  g += A(r, i+1) A(r, :)
/// </code>
/// A matrix is read and written once per column, against three times in the textbook order (norm, GEMV, rank-1
/// update). Columns whose squares leave the accurate range take the careful reflector (dlarfg) and one more sweep.
/// </summary>
internal static unsafe class UnblockedHouseholderQr
{
    /// <summary>Most columns the unblocked path takes (its w and g rows live on the stack).</summary>
    public const int MaxCols = 512;

    /// <summary>
    /// Factors the m x n matrix <paramref name="a"/> (n at most <see cref="MaxCols"/>) in place: R on and above the
    /// diagonal, the reflectors below it, and tau in the first min(m, n) entries of <paramref name="tau"/>.
    /// </summary>
    public static void Factor<T>(MatrixSpan<T> a, Span<T> tau)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Cols, k = Math.Min(m, n);
        if (k == 0)
        {
            return;
        }

        if (n > MaxCols)
        {
            throw new ArgumentOutOfRangeException(nameof(a), $"The unblocked QR takes at most {MaxCols} columns, not {n}.");
        }

        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        if (isa >= InstructionSet.Vector512)
        {
            FactorPadded<T, Lanes512<T>, Vector512<T>>(a, tau[..k]);
        }
        else if (VectorOps.UseVectors)
        {
            FactorPadded<T, Lanes256<T>, Vector256<T>>(a, tau[..k]);
        }
        else
        {
            FactorPadded<T, LanesScalar<T>, T>(a, tau[..k]);
        }
    }

    /// <summary>
    /// Copies A into scratch with rows padded by zeros to a whole number of vectors, factors the copy and copies it
    /// back. The scratch slot is the panel leaves' (the blocked panel factorization does not run while this does).
    /// </summary>
    private static void FactorPadded<T, TW, TV>(MatrixSpan<T> a, Span<T> tau)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int m = a.Rows, n = a.Cols, width = TW.Count;
        int ldp = (n + width - 1) / width * width;
        MatrixSpan<T> p = Workspace<T>.Get(WorkspaceSlot.LeafPanel, m, ldp);
        for (int r = 0; r < m; r++)
        {
            Span<T> row = p.Row(r);
            a.Row(r).CopyTo(row);
            row[n..].Clear();
        }

        Span<T> w = stackalloc T[ldp];
        Span<T> g = stackalloc T[ldp];
        fixed (T* pa = &Guard.Ref(p), pw = w, pg = g)
        {
            FactorInScratch<T, TW, TV>(pa, ldp, m, n, tau, pw, pg);
        }

        p.Slice(0, 0, m, n).CopyTo(a);
    }

    /// <summary>The factorization on the padded copy (row stride lda, a multiple of the vector width).</summary>
    private static void FactorInScratch<T, TW, TV>(T* a, int lda, int m, int n, Span<T> tau, T* w, T* g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int k = tau.Length, width = TW.Count;
        T sigma2 = ColumnStatistics<T, TW, TV>(a, lda, m, col: 0, c0: 0, g);
        for (int i = 0; i < k; i++)
        {
            T* rowI = a + ((nint)i * lda);
            int c0 = i + 1 - ((i + 1) % width);
            if (!HouseholderReflector.TryGenerateFromSquares(ref rowI[i], sigma2, out T tauI, out T scale))
            {
                // Careful path: dlarfg scales x into v, then one more sweep computes the dot products of v with
                // the columns to its right.
                tauI = HouseholderReflector.Generate(ref rowI[i], rowI + lda + i, lda, m - i - 1);
                scale = T.One;
                ColumnStatistics<T, TW, TV>(a, lda, m, col: i, c0, g);
            }

            tau[i] = tauI;
            for (int c = c0; c <= i; c++)
            {
                w[c] = T.Zero;
            }

            for (int c = i + 1; c < n; c++)
            {
                w[c] = rowI[c] + (scale * g[c]);
                rowI[c] -= tauI * w[c];
            }

            for (int c = n; c < lda; c++)
            {
                w[c] = T.Zero;
            }

            if (i + 1 < m)
            {
                sigma2 = Sweep<T, TW, TV>(a, lda, i + 1, m, i, c0, scale, tauI, w, i + 1 < k ? i + 1 : -1, g);
            }
        }
    }

    /// <summary>
    /// The squared norm of A(col+1:, col) (returned) and g(c) = A(col+1:, col)^T A(col+1:, c) for columns c0 and up.
    /// </summary>
    private static T ColumnStatistics<T, TW, TV>(T* a, int lda, int m, int col, int c0, T* g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        new Span<T>(g + c0, lda - c0).Clear();
        T sigma2 = T.Zero;
        for (int r = col + 1; r < m; r++)
        {
            T* row = a + ((nint)r * lda);
            T x = row[col];
            sigma2 += x * x;
            TV xv = TW.Create(x);
            for (int c = c0; c < lda; c += TW.Count)
            {
                TW.Store(TW.Fma(xv, TW.Load(row + c), TW.Load(g + c)), g + c);
            }
        }

        return sigma2;
    }

    /// <summary>
    /// Rows r0..m-1: v_r = A(r, col) scale (stored back), A(r, c0:) += -tau v_r w(c0:) (w is zero up to col), and,
    /// when statCol is at least 0, for rows below statCol the squared norm of A(r, statCol) (returned) and
    /// g(c0:) = sum of A(r, statCol) A(r, c0:) (g is overwritten).
    /// </summary>
    private static T Sweep<T, TW, TV>(T* a, int lda, int r0, int m, int col, int c0, T scale, T tau, T* w, int statCol, T* g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        new Span<T>(g + c0, lda - c0).Clear();
        T sigma2 = T.Zero;
        int r = r0;
        for (; r + 4 <= m; r += 4)
        {
            sigma2 += Rows4<T, TW, TV>(a + ((nint)r * lda), lda, r, col, c0, scale, tau, w, statCol, g);
        }

        for (; r < m; r++)
        {
            sigma2 += Row1<T, TW, TV>(a + ((nint)r * lda), lda, r, col, c0, scale, tau, w, statCol, g);
        }

        return sigma2;
    }

    /// <summary>
    /// Four consecutive rows of <see cref="Sweep"/> starting at row r, loading w and g once per vector for all four.
    /// The statistics A(r, statCol) are computed first with the scalar twin of the vector fused multiply-add
    /// (bitwise what the vector update stores, and stored back) so that the update and the accumulation share one
    /// pass over the rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Rows4<T, TW, TV>(T* row0, int lda, int r, int col, int c0, T scale, T tau, T* w, int statCol, T* g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        T* row1 = row0 + lda, row2 = row1 + lda, row3 = row2 + lda;
        T v0 = row0[col] * scale, v1 = row1[col] * scale, v2 = row2[col] * scale, v3 = row3[col] * scale;
        T n0 = -tau * v0, n1 = -tau * v1, n2 = -tau * v2, n3 = -tau * v3;
        T x0 = StatisticAfterUpdate<T, TW, TV>(row0, r, n0, w, statCol), x1 = StatisticAfterUpdate<T, TW, TV>(row1, r + 1, n1, w, statCol);
        T x2 = StatisticAfterUpdate<T, TW, TV>(row2, r + 2, n2, w, statCol), x3 = StatisticAfterUpdate<T, TW, TV>(row3, r + 3, n3, w, statCol);
        TV vn0 = TW.Create(n0), vn1 = TW.Create(n1), vn2 = TW.Create(n2), vn3 = TW.Create(n3);
        TV vx0 = TW.Create(x0), vx1 = TW.Create(x1), vx2 = TW.Create(x2), vx3 = TW.Create(x3);
        for (int c = c0; c < lda; c += TW.Count)
        {
            TV wv = TW.Load(w + c);
            TV a0 = TW.Fma(vn0, wv, TW.Load(row0 + c));
            TV a1 = TW.Fma(vn1, wv, TW.Load(row1 + c));
            TV a2 = TW.Fma(vn2, wv, TW.Load(row2 + c));
            TV a3 = TW.Fma(vn3, wv, TW.Load(row3 + c));
            TW.Store(a0, row0 + c);
            TW.Store(a1, row1 + c);
            TW.Store(a2, row2 + c);
            TW.Store(a3, row3 + c);
            TV gv = TW.Fma(vx0, a0, TW.Load(g + c));
            gv = TW.Fma(vx1, a1, gv);
            gv = TW.Fma(vx2, a2, gv);
            TW.Store(TW.Fma(vx3, a3, gv), g + c);
        }

        row0[col] = v0;
        row1[col] = v1;
        row2[col] = v2;
        row3[col] = v3;
        StoreStatistic(row0, r, x0, statCol);
        StoreStatistic(row1, r + 1, x1, statCol);
        StoreStatistic(row2, r + 2, x2, statCol);
        StoreStatistic(row3, r + 3, x3, statCol);
        return (x0 * x0) + (x1 * x1) + (x2 * x2) + (x3 * x3);
    }

    /// <summary>One row of <see cref="Sweep"/> (the rows left over after blocks of four).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Row1<T, TW, TV>(T* row, int lda, int r, int col, int c0, T scale, T tau, T* w, int statCol, T* g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        T v = row[col] * scale, ntv = -tau * v;
        T x = StatisticAfterUpdate<T, TW, TV>(row, r, ntv, w, statCol);
        TV vn = TW.Create(ntv), vx = TW.Create(x);
        for (int c = c0; c < lda; c += TW.Count)
        {
            TV a0 = TW.Fma(vn, TW.Load(w + c), TW.Load(row + c));
            TW.Store(a0, row + c);
            TW.Store(TW.Fma(vx, a0, TW.Load(g + c)), g + c);
        }

        row[col] = v;
        StoreStatistic(row, r, x, statCol);
        return x * x;
    }

    /// <summary>A(r, statCol) after the update, when row r lies below statCol (else zero: it adds nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T StatisticAfterUpdate<T, TW, TV>(T* row, int r, T ntv, T* w, int statCol)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct =>
        statCol >= 0 && r > statCol ? TW.FmaScalar(ntv, w[statCol], row[statCol]) : T.Zero;

    /// <summary>Stores the statistic as the row's value, so that the next reflector is built from exactly it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreStatistic<T>(T* row, int r, T x, int statCol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (statCol >= 0 && r > statCol)
        {
            row[statCol] = x;
        }
    }
}
