using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Householder QR of a tall panel together with the triangular factor T of its compact-WY representation
/// Q = H_0 H_1 ... H_{k-1} = I - V T V^T, in the recursive manner of LAPACK dgeqrt3 (Elmroth and Gustavson):
/// <code>
///   [A1 | A2]  (m x k1 | m x k2)
///   factor A1            -> V1, T11                           (recursion)
///   A2 := H1^T A2 = A2 - V1 T11^T (V1^T A2)                    (two GEMMs, T12 as workspace)
///   factor A2(k1:, :)    -> V2, T22                           (recursion)
///   T12 := -T11 (V1^T V2) T22                                 (one GEMM, three small TRMMs)
/// </code>
/// so that nearly all flops are GEMMs with the long panel dimension as the inner dimension. The leaves are
/// narrow (a few SIMD vectors wide) and use a fused unblocked kernel (LAPACK dgeqr2 + dlarft in one): in
/// row-major storage a leaf row is one or two cache lines, and one sweep down the rows per column both applies
/// the current reflector and accumulates what the next column needs (its squared norm and its dot products with
/// the columns to its right) and the column of V^T V that T needs. A leaf of width kb therefore reads its rows
/// kb + 1 times instead of the 3 kb to 4 kb times of the textbook order (norm, scale, dot, update).
/// </summary>
internal static unsafe class QrPanelFactorization
{
    /// <summary>Largest leaf width the fused kernel supports (four 256-bit vectors of double).</summary>
    public const int MaxLeafWidth = 32;

    /// <summary>
    /// Factors the m x k panel <paramref name="a"/> (m at least k) in place: R on and above the diagonal, the
    /// reflectors below it, tau in <paramref name="tau"/>, and the upper triangle of the k x k view
    /// <paramref name="t"/> set to T (its strict lower triangle is used as scratch and left undefined).
    /// </summary>
    public static void Factor<T>(MatrixSpan<T> a, Span<T> tau, MatrixSpan<T> t, int leafWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, k = a.Cols;
        if (k == 0)
        {
            return;
        }

        if (k <= leafWidth)
        {
            Leaf(a, tau, t);
            return;
        }

        int k1 = Math.Max(leafWidth, (k / 2) / leafWidth * leafWidth), k2 = k - k1;
        MatrixSpan<T> t11 = t.Slice(0, 0, k1, k1), t12 = t.Slice(0, k1, k1, k2), t22 = t.Slice(k1, k1, k2, k2);
        Factor(a.Slice(0, 0, m, k1), tau[..k1], t11, leafWidth);

        // A2 := H1^T A2, with T12 as the k1 x k2 workspace.
        BlockReflector.ApplyLeft(a.Slice(0, 0, m, k1), t11, transpose: true, a.Slice(0, k1, m, k2), t12);
        Factor(a.Slice(k1, k1, m - k1, k2), tau[k1..], t22, leafWidth);

        // T12 := -T11 (V1^T V2) T22. V2 starts at row k1: its top k2 x k2 block is unit lower triangular, so
        // V1^T V2 = V1(k1:k, :)^T V2top + V1(k:m, :)^T V2(k2:, :).
        for (int i = 0; i < k1; i++)
        {
            for (int j = 0; j < k2; j++)
            {
                t12[i, j] = a[k1 + j, i];
            }
        }

        Blas.Trmm(Side.Right, Triangle.Lower, MatrixOp.None, DiagonalKind.Unit, T.One, a.Slice(k1, k1, k2, k2), t12);
        Blas.Gemm(T.One, a.Slice(k, 0, m - k, k1), MatrixOp.Transpose, a.Slice(k, k1, m - k, k2), MatrixOp.None, T.One, t12);
        Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, -T.One, t11, t12);
        Blas.Trmm(Side.Right, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, t22, t12);
    }

    /// <summary>
    /// The fused unblocked kernel on a panel of at most <see cref="MaxLeafWidth"/> columns. A strided leaf is first
    /// copied into contiguous per-thread scratch: its kb + 1 sweeps then stream through memory the hardware
    /// prefetchers follow (a row stride of a few KiB defeats them on tall panels), and it is copied back once.
    /// </summary>
    private static void Leaf<T>(MatrixSpan<T> panel, Span<T> tau, MatrixSpan<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = panel.Rows, kb = panel.Cols;
        Span<T> sStore = stackalloc T[MaxLeafWidth * MaxLeafWidth];
        var s = new MatrixSpan<T>(sStore, kb, kb, MaxLeafWidth);
        if (panel.Stride == kb || m <= 2 * MaxLeafWidth)
        {
            LeafInPlace(panel, tau, s);
        }
        else
        {
            MatrixSpan<T> packed = Workspace<T>.Get(WorkspaceSlot.LeafPanel, m, kb);
            panel.CopyTo(packed);
            LeafInPlace(packed, tau, s);
            packed.CopyTo(panel);
        }

        // T from S = V^T V and tau (LAPACK dlarft, forward, columnwise); the strict lower triangle is cleared.
        BlockReflectorFactor.FromGram<T>(s, tau[..kb], t);
        for (int i = 0; i < kb; i++)
        {
            t.Row(i)[..i].Clear();
        }
    }

    /// <summary>Householder QR of the leaf in place (tau set), with S = V^T V (strict upper triangle) accumulated on the way.</summary>
    private static void LeafInPlace<T>(MatrixSpan<T> panel, Span<T> tau, MatrixSpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = panel.Rows, kb = panel.Cols;
        Span<T> w = stackalloc T[MaxLeafWidth];
        Span<T> g = stackalloc T[MaxLeafWidth];
        Span<T> sAcc = stackalloc T[MaxLeafWidth];
        T lo = Precision.MinNormal<T>() / Precision.UnitRoundoff<T>();
        T hi = T.CreateTruncating(typeof(T) == typeof(float) ? 1e36 : 1e306);
        fixed (T* a = &Guard.Ref(panel))
        {
            nint lda = panel.Stride;

            // Squared norm of column 0 below the diagonal and its dot products with the other columns.
            T sigma2 = Sweep(a, lda, m, kb, rowStart: 1, vCol: -1, T.One, T.Zero, w, statCol: 0, g, sAcc);
            for (int i = 0; i < kb; i++)
            {
                T* rowI = a + (i * lda);
                T alpha = rowI[i];
                T ss = (alpha * alpha) + sigma2;
                T tauI, scale;
                if (sigma2 >= lo && ss <= hi)
                {
                    // Fast path: beta = -sign(alpha) ||[alpha; x]||, v = x / (alpha - beta), w = v^T A(:, c).
                    T beta = -T.CopySign(T.Sqrt(ss), alpha);
                    tauI = (beta - alpha) / beta;
                    scale = T.One / (alpha - beta);
                    rowI[i] = beta;
                }
                else
                {
                    // Careful path (zero, tiny or huge column): dlarfg scales x into v, then one more sweep
                    // computes the dot products of v with the columns to its right.
                    tauI = HouseholderReflector.Generate(ref rowI[i], rowI + lda + i, lda, m - i - 1);
                    scale = T.One;
                    w.Clear();
                    Sweep(a, lda, m, kb, rowStart: i + 1, vCol: -1, T.One, T.Zero, w, statCol: i, g, sAcc);
                }

                tau[i] = tauI;
                w.Clear();
                for (int c = i + 1; c < kb; c++)
                {
                    w[c] = rowI[c] + (scale * g[c]);
                    rowI[c] -= tauI * w[c];
                }

                // S(l, i) = v_l^T v_i = v_l(i) + sum over rows below i; v_l(i) is the stored A(i, l).
                for (int l = 0; l < kb; l++)
                {
                    sAcc[l] = l < i ? rowI[l] : T.Zero;
                }

                sigma2 = Sweep(a, lda, m, kb, rowStart: i + 1, vCol: i, scale, tauI, w, statCol: i + 1 < kb ? i + 1 : -1, g, sAcc);
                for (int l = 0; l < i; l++)
                {
                    s[l, i] = sAcc[l];
                }
            }
        }
    }

    /// <summary>
    /// One sweep down rows rowStart..m-1 of a leaf of width kb. When <paramref name="vCol"/> is at least 0, each row
    /// first has its reflector entry scaled (v = A(r, vCol) * scale, stored back) and is updated,
    /// A(r, :) -= tau v w (w is zero up to vCol), and the S column accumulates v A(r, :). When
    /// <paramref name="statCol"/> is at least 0, rows below statCol accumulate its squared norm (the return value)
    /// and g += A(r, statCol) A(r, :).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Sweep<T>(T* a, nint lda, int m, int kb, int rowStart, int vCol, T scale, T tau, Span<T> w, int statCol, Span<T> g, Span<T> sAcc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        int chunks = VectorOps.UseVectors ? Math.Min(kb / width, 4) : 0;
        int tail = chunks * width;
        T sigma2 = T.Zero;
        g.Clear();
        fixed (T* pw = w, pg = g, ps = sAcc)
        {
            Vector256<T> w0 = chunks > 0 ? Vector256.Load(pw) : default, w1 = chunks > 1 ? Vector256.Load(pw + width) : default;
            Vector256<T> w2 = chunks > 2 ? Vector256.Load(pw + (2 * width)) : default, w3 = chunks > 3 ? Vector256.Load(pw + (3 * width)) : default;
            Vector256<T> s0 = chunks > 0 ? Vector256.Load(ps) : default, s1 = chunks > 1 ? Vector256.Load(ps + width) : default;
            Vector256<T> s2 = chunks > 2 ? Vector256.Load(ps + (2 * width)) : default, s3 = chunks > 3 ? Vector256.Load(ps + (3 * width)) : default;
            Vector256<T> g0 = default, g1 = default, g2 = default, g3 = default;
            for (int r = rowStart; r < m; r++)
            {
                T* row = a + (r * lda);
                T v = T.Zero, ntv = T.Zero;
                if (vCol >= 0)
                {
                    v = row[vCol] * scale;
                    ntv = -tau * v;
                }

                T nx = T.Zero;
                if (statCol >= 0 && r > statCol)
                {
                    nx = row[statCol] + (ntv * pw[statCol]);
                    sigma2 += nx * nx;
                }

                if (chunks > 0)
                {
                    Vector256<T> vt = Vector256.Create(ntv), vv = Vector256.Create(v), vn = Vector256.Create(nx);
                    Vector256<T> x0 = VectorOps.Fma(vt, w0, Vector256.Load(row));
                    x0.Store(row);
                    s0 = VectorOps.Fma(vv, x0, s0);
                    g0 = VectorOps.Fma(vn, x0, g0);
                    if (chunks > 1)
                    {
                        Vector256<T> x1 = VectorOps.Fma(vt, w1, Vector256.Load(row + width));
                        x1.Store(row + width);
                        s1 = VectorOps.Fma(vv, x1, s1);
                        g1 = VectorOps.Fma(vn, x1, g1);
                        if (chunks > 2)
                        {
                            Vector256<T> x2 = VectorOps.Fma(vt, w2, Vector256.Load(row + (2 * width)));
                            x2.Store(row + (2 * width));
                            s2 = VectorOps.Fma(vv, x2, s2);
                            g2 = VectorOps.Fma(vn, x2, g2);
                            if (chunks > 3)
                            {
                                Vector256<T> x3 = VectorOps.Fma(vt, w3, Vector256.Load(row + (3 * width)));
                                x3.Store(row + (3 * width));
                                s3 = VectorOps.Fma(vv, x3, s3);
                                g3 = VectorOps.Fma(vn, x3, g3);
                            }
                        }
                    }
                }

                for (int c = tail; c < kb; c++)
                {
                    T x = row[c] + (ntv * pw[c]);
                    row[c] = x;
                    ps[c] += v * x;
                    pg[c] += nx * x;
                }

                if (vCol >= 0)
                {
                    row[vCol] = v;
                }
            }

            if (chunks > 0)
            {
                s0.Store(ps);
                g0.Store(pg);
            }

            if (chunks > 1)
            {
                s1.Store(ps + width);
                g1.Store(pg + width);
            }

            if (chunks > 2)
            {
                s2.Store(ps + (2 * width));
                g2.Store(pg + (2 * width));
            }

            if (chunks > 3)
            {
                s3.Store(ps + (3 * width));
                g3.Store(pg + (3 * width));
            }
        }

        return sigma2;
    }
}
