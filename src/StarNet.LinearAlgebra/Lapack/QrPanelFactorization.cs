using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

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
    public const int MaxLeafWidth = 64;

    /// <summary>
    /// Rows per chunk of a parallel sweep (at least; very tall leaves use larger chunks). 1536 since session 12, so
    /// that a 3072-row leaf sweeps on two threads: together with the streamed products' 1024 rows per thread this
    /// keeps the second thread busy within its polling window (3072 x 257 float, two threads, 8.0-9.2 -> 5.4-5.8 ms on
    /// the Zen 3 machine; either change alone gave no clear gain). The chunks depend on the row count only.
    /// </summary>
    private const int SweepChunkRows = 1536;

    /// <summary>Most chunks a sweep is split into.</summary>
    internal const int MaxSweepChunks = 32;

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
        // Streamed when the reflector block is narrow; an A2 thinner than one vector takes the streamed kernels' thin
        // form (TallThinProducts, vectorised along the reflectors; with 256-bit leaves 10000 x 100 float 13.1 -> 12.5 ms
        // and 60000 x 100 87 -> 78 ms against the GEMM, which the scalar form had lost to by 8%).
        bool streamed = k1 <= QrBlocking.StreamedReflectors;
        BlockReflector.ApplyLeft<T>(a.Slice(0, 0, m, k1), t11, transpose: true, a.Slice(0, k1, m, k2), t12, streamed);

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
        if (streamed)
        {
            TallNarrowProducts.AddTransposeProduct<T>(a.Slice(k, 0, m - k, k1), a.Slice(k, k1, m - k, k2), t12);
        }
        else
        {
            Blas.Gemm(T.One, a.Slice(k, 0, m - k, k1), MatrixOp.Transpose, a.Slice(k, k1, m - k, k2), MatrixOp.None, T.One, t12);
        }

        Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, -T.One, t11, t12);
        Blas.Trmm(Side.Right, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, t22, t12);
    }

    /// <summary>
    /// The fused unblocked kernel on a panel of at most <see cref="MaxLeafWidth"/> columns. A strided leaf, or a
    /// contiguous one whose rows are not whole vectors, is first copied into contiguous per-thread scratch: its
    /// sweeps then stream through memory the hardware prefetchers follow (a row stride of a few KiB defeats them on
    /// tall panels), and it is copied back once. The copy's rows are padded with zeros to a whole number of vectors, so the sweeps have no scalar columns (a
    /// 36-column panel of 10000 x 100 float swept 4 of its columns one at a time). The padding never reaches a
    /// result (w is zero there and only the first kb columns' statistics are read); it is zeroed so that the sweeps
    /// never run on stale denormals or NaN.
    /// </summary>
    private static void Leaf<T>(MatrixSpan<T> panel, Span<T> tau, MatrixSpan<T> t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = panel.Rows, kb = panel.Cols;
        if (kb == 1)
        {
            // One column (the last panel of 60000 x 257): dlarfg on the strided column in place, two passes over it,
            // instead of a padded copy, two sweeps and the copy back. T is tau.
            fixed (T* a0 = &Guard.Ref(panel))
            {
                tau[0] = HouseholderReflector.Generate(ref *a0, a0 + panel.Stride, panel.Stride, m - 1);
            }

            t[0, 0] = tau[0];
            return;
        }

        Span<T> sStore = stackalloc T[MaxLeafWidth * MaxLeafWidth];
        var s = new MatrixSpan<T>(sStore, kb, kb, MaxLeafWidth);
        int lanes = RowVectorLanes.Count<T>(RowVectorLanes.Widest());
        if (m <= 64 || (panel.Stride == kb && kb % lanes == 0))
        {
            LeafInPlace(panel, kb, tau, s);
        }
        else
        {
            int width = (kb + lanes - 1) / lanes * lanes;
            MatrixSpan<T> packed = Workspace<T>.Get(WorkspaceSlot.LeafPanel, m, width);
            StridedRows.CopyPadded<T>(panel, packed);
            LeafInPlace(packed, kb, tau, s);
            StridedRows.Copy<T>(packed.Slice(0, 0, m, kb), panel);
        }

        // T from S = V^T V and tau (LAPACK dlarft, forward, columnwise); the strict lower triangle is cleared.
        BlockReflectorFactor.FromGram<T>(s, tau[..kb], t);
        for (int i = 0; i < kb; i++)
        {
            t.Row(i)[..i].Clear();
        }
    }

    /// <summary>
    /// Householder QR of the first kb columns of the leaf in place (tau set), with S = V^T V (strict upper triangle)
    /// accumulated on the way; columns kb and up of <paramref name="panel"/>, if any, are zero padding the sweeps
    /// carry along.
    /// </summary>
    private static void LeafInPlace<T>(MatrixSpan<T> panel, int kb, Span<T> tau, MatrixSpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = panel.Rows, width = panel.Cols;
        if (PairedLeafFactorization.Applies<T>(width, out InstructionSet isa))
        {
            PairedLeafFactorization.Factor(panel, kb, tau, s, isa);
            return;
        }

        Span<T> w = stackalloc T[MaxLeafWidth];
        Span<T> g = stackalloc T[MaxLeafWidth];
        Span<T> sAcc = stackalloc T[MaxLeafWidth];
        T lo = Precision.MinNormal<T>() / Precision.UnitRoundoff<T>();
        T hi = T.CreateTruncating(typeof(T) == typeof(float) ? 1e36 : 1e306);
        fixed (T* a = &Guard.Ref(panel))
        {
            nint lda = panel.Stride;

            // Squared norm of column 0 below the diagonal and its dot products with the other columns.
            T sigma2 = SweepRows(a, lda, m, width, rowStart: 1, vCol: -1, T.One, T.Zero, w, statCol: 0, g, sAcc);
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
                    SweepRows(a, lda, m, width, rowStart: i + 1, vCol: -1, T.One, T.Zero, w, statCol: i, g, sAcc);
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

                sigma2 = SweepRows(a, lda, m, width, rowStart: i + 1, vCol: i, scale, tauI, w, statCol: i + 1 < kb ? i + 1 : -1, g, sAcc);
                for (int l = 0; l < i; l++)
                {
                    s[l, i] = sAcc[l];
                }
            }
        }
    }

    /// <summary>
    /// One sweep down rows rowStart..m-1 of a leaf (see <see cref="Sweep"/>), split into chunks of a fixed number of
    /// rows that depends on m only. Each chunk accumulates its own partial sums, the chunks run on up to
    /// <see cref="LinearAlgebraSettings.DegreeOfParallelism"/> threads, and the partial sums are added in chunk
    /// order, so the result does not depend on the thread count. sAcc is accumulated into; g is overwritten.
    /// </summary>
    private static T SweepRows<T>(T* a, nint lda, int m, int kb, int rowStart, int vCol, T scale, T tau, Span<T> w, int statCol, Span<T> g, Span<T> sAcc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = SweepChunks(m - rowStart, out int chunkRows);
        int stride = 1 + (2 * kb);
        Span<T> partials = stackalloc T[MaxSweepChunks * (1 + (2 * MaxLeafWidth))];
        partials = partials[..(chunks * stride)];
        partials.Clear();
        int threads = chunks < 2 ? 1 : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads);
        fixed (T* pw = w, pp = partials)
        {
            var ctx = new SweepContext<T>
            {
                A = a, Lda = lda, Kb = kb, RowStart = rowStart, RowEnd = m, VCol = vCol, StatCol = statCol, Scale = scale, Tau = tau,
                W = pw, Partials = pp, ChunkRows = chunkRows, Chunks = chunks, Isa = RowVectorLanes.For<T>(kb, maxVectors: 4),
            };
            WorkerPool.Shared.Run(Math.Min(threads, chunks), &SweepJob<T>, &ctx);
        }

        T sigma2 = T.Zero;
        g.Clear();
        for (int q = 0; q < chunks; q++)
        {
            Span<T> p = partials.Slice(q * stride, stride);
            sigma2 += p[0];
            for (int c = 0; c < kb; c++)
            {
                g[c] += p[1 + c];
                sAcc[c] += p[1 + kb + c];
            }
        }

        return sigma2;
    }

    /// <summary>
    /// The fixed row chunks of a leaf sweep over <paramref name="rows"/> rows (at least <see cref="SweepChunkRows"/> each,
    /// at most <see cref="MaxSweepChunks"/>): they depend on the row count only, so the chunk-ordered sums of the
    /// partials do not depend on the thread count. Shared by the one- and two-reflector leaves.
    /// </summary>
    internal static int SweepChunks(int rows, out int chunkRows)
    {
        rows = Math.Max(0, rows);
        chunkRows = Math.Max(SweepChunkRows, (rows + MaxSweepChunks - 1) / MaxSweepChunks);
        return Math.Max(1, (rows + chunkRows - 1) / chunkRows);
    }

    private static void SweepJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref SweepContext<T> c = ref Unsafe.AsRef<SweepContext<T>>(context);
        int q0 = (int)((long)c.Chunks * thread / threads), q1 = (int)((long)c.Chunks * (thread + 1) / threads);
        int stride = 1 + (2 * c.Kb);
        for (int q = q0; q < q1; q++)
        {
            int r0 = c.RowStart + (q * c.ChunkRows), r1 = Math.Min(c.RowEnd, r0 + c.ChunkRows);
            T* p = c.Partials + (q * stride);
            p[0] = c.Isa switch
            {
                InstructionSet.Vector512 when WholeVectors(c.Kb, Vector512<T>.Count) => SweepVectors<T, Lanes512<T>, Vector512<T>>(ref c, r0, r1, p),
                InstructionSet.Vector512 => Sweep<T, Lanes512<T>, Vector512<T>>(c.A, c.Lda, r0, r1, c.Kb, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, p + 1, p + 1 + c.Kb),
                InstructionSet.Vector256 when WholeVectors(c.Kb, Vector256<T>.Count) => SweepVectors<T, Lanes256<T>, Vector256<T>>(ref c, r0, r1, p),
                InstructionSet.Vector256 => Sweep<T, Lanes256<T>, Vector256<T>>(c.A, c.Lda, r0, r1, c.Kb, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, p + 1, p + 1 + c.Kb),
                _ => Sweep<T, LanesScalar<T>, T>(c.A, c.Lda, r0, r1, c.Kb, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, p + 1, p + 1 + c.Kb),
            };
        }
    }

    /// <summary>Whether rows of kb columns are one to four whole vectors of the given width.</summary>
    private static bool WholeVectors(int kb, int width) => kb % width == 0 && kb <= 4 * width;

    /// <summary>
    /// A chunk of a sweep of a leaf whose rows are whole vectors (<see cref="LeafSweep"/>), in the instantiation for its
    /// vector count and the number of leading vectors the reflector leaves unchanged. p holds the chunk's g and s.
    /// </summary>
    private static T SweepVectors<T, TW, TV>(ref SweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct =>
        (c.Kb / TW.Count) switch
        {
            1 => SweepVectors<T, TW, TV, OneVector>(ref c, r0, r1, p),
            2 => SweepVectors<T, TW, TV, TwoVectors>(ref c, r0, r1, p),
            3 => SweepVectors<T, TW, TV, ThreeVectors>(ref c, r0, r1, p),
            _ => SweepVectors<T, TW, TV, FourVectors>(ref c, r0, r1, p),
        };

    private static T SweepVectors<T, TW, TV, TN>(ref SweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
    {
        T* pg = p + 1, ps = p + 1 + c.Kb;
        int fixedVectors = c.VCol < 0 ? -1 : Math.Min((c.VCol + 1) / TW.Count, TN.Count);
        return fixedVectors switch
        {
            -1 => LeafSweep.Run<T, TW, TV, TN, StatisticsOnly>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
            0 => LeafSweep.Run<T, TW, TV, TN, NoFixedVectors>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
            1 => LeafSweep.Run<T, TW, TV, TN, OneFixedVector>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
            2 => LeafSweep.Run<T, TW, TV, TN, TwoFixedVectors>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
            3 => LeafSweep.Run<T, TW, TV, TN, ThreeFixedVectors>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
            _ => LeafSweep.Run<T, TW, TV, TN, FourFixedVectors>(c.A, c.Lda, r0, r1, c.VCol, c.Scale, c.Tau, c.W, c.StatCol, pg, ps),
        };
    }

    /// <summary>
    /// One sweep down rows rowStart..rowEnd-1 of a leaf of width kb. When <paramref name="vCol"/> is at least 0, each
    /// row first has its reflector entry scaled (v = A(r, vCol) * scale, stored back) and is updated,
    /// A(r, :) -= tau v w (w is zero up to vCol), and s accumulates v A(r, :). When <paramref name="statCol"/> is at
    /// least 0, rows below statCol accumulate its squared norm (the return value) and g += A(r, statCol) A(r, :).
    /// g and s are accumulated into. The first up to four vectors of TW's width of every row are kept in registers
    /// (w, s and g for them too); the columns past them, if any, are scalar. This general form serves rows that are
    /// not one to four whole vectors (a leaf factored in place at another width) and the scalar instruction set;
    /// <see cref="LeafSweep"/> serves the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Sweep<T, TW, TV>(T* a, nint lda, int rowStart, int rowEnd, int kb, int vCol, T scale, T tau, T* pw, int statCol, T* pg, T* ps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        int chunks = Math.Min(kb / width, 4);
        int tail = chunks * width;

        // Leading vectors of the row that the reflector leaves unchanged (w is zero up to vCol; all of them in a
        // statistics-only sweep) are only read, not updated and stored back: fewer stores on a leaf that streams
        // from L3 (2-6% less time on the 60000-row shapes, same results bit for bit; docs/lapack.md).
        int fixedChunks = vCol < 0 ? chunks : (vCol + 1) / width;
        T sigma2 = T.Zero;
        TV w0 = chunks > 0 ? TW.Load(pw) : default, w1 = chunks > 1 ? TW.Load(pw + width) : default;
        TV w2 = chunks > 2 ? TW.Load(pw + (2 * width)) : default, w3 = chunks > 3 ? TW.Load(pw + (3 * width)) : default;
        TV s0 = chunks > 0 ? TW.Load(ps) : default, s1 = chunks > 1 ? TW.Load(ps + width) : default;
        TV s2 = chunks > 2 ? TW.Load(ps + (2 * width)) : default, s3 = chunks > 3 ? TW.Load(ps + (3 * width)) : default;
        TV g0 = chunks > 0 ? TW.Load(pg) : default, g1 = chunks > 1 ? TW.Load(pg + width) : default;
        TV g2 = chunks > 2 ? TW.Load(pg + (2 * width)) : default, g3 = chunks > 3 ? TW.Load(pg + (3 * width)) : default;
        for (int r = rowStart; r < rowEnd; r++)
        {
            T* row = a + (r * lda);
            T v = T.Zero, ntv = T.Zero;
            if (vCol >= 0)
            {
                v = row[vCol] * scale;
                ntv = -tau * v;
            }

            // Update the row first; the statistics are then taken from the stored values, exactly what the
            // next reflector will be built from (a separately rounded copy would differ after cancellation).
            TV x0 = default, x1 = default, x2 = default, x3 = default;
            if (chunks > 0)
            {
                TV vt = TW.Create(ntv);
                x0 = Update<T, TW, TV>(row, vt, w0, fixedChunks > 0);
                if (chunks > 1)
                {
                    x1 = Update<T, TW, TV>(row + width, vt, w1, fixedChunks > 1);
                    if (chunks > 2)
                    {
                        x2 = Update<T, TW, TV>(row + (2 * width), vt, w2, fixedChunks > 2);
                        if (chunks > 3)
                        {
                            x3 = Update<T, TW, TV>(row + (3 * width), vt, w3, fixedChunks > 3);
                        }
                    }
                }
            }

            for (int c = tail; c < kb; c++)
            {
                row[c] += ntv * pw[c];
            }

            T nx = T.Zero;
            if (statCol >= 0 && r > statCol)
            {
                nx = row[statCol];
                sigma2 += nx * nx;
            }

            if (chunks > 0)
            {
                TV vv = TW.Create(v), vn = TW.Create(nx);
                s0 = TW.Fma(vv, x0, s0);
                g0 = TW.Fma(vn, x0, g0);
                if (chunks > 1)
                {
                    s1 = TW.Fma(vv, x1, s1);
                    g1 = TW.Fma(vn, x1, g1);
                    if (chunks > 2)
                    {
                        s2 = TW.Fma(vv, x2, s2);
                        g2 = TW.Fma(vn, x2, g2);
                        if (chunks > 3)
                        {
                            s3 = TW.Fma(vv, x3, s3);
                            g3 = TW.Fma(vn, x3, g3);
                        }
                    }
                }
            }

            for (int c = tail; c < kb; c++)
            {
                T x = row[c];
                ps[c] += v * x;
                pg[c] += nx * x;
            }

            if (vCol >= 0)
            {
                row[vCol] = v;
            }
        }

        StoreAccumulators<T, TW, TV>(chunks, s0, s1, s2, s3, ps);
        StoreAccumulators<T, TW, TV>(chunks, g0, g1, g2, g3, pg);
        return sigma2;
    }

    /// <summary>x := tau-scaled update of one vector of a row (stored back), or the vector as it is when it is fixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Update<T, TW, TV>(T* p, TV vt, TV w, bool isFixed)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        TV x = TW.Load(p);
        if (isFixed)
        {
            return x;
        }

        x = TW.Fma(vt, w, x);
        TW.Store(x, p);
        return x;
    }

    /// <summary>Stores the first <paramref name="chunks"/> of four accumulator vectors to consecutive vectors at p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreAccumulators<T, TW, TV>(int chunks, TV x0, TV x1, TV x2, TV x3, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        if (chunks > 0)
        {
            TW.Store(x0, p);
        }

        if (chunks > 1)
        {
            TW.Store(x1, p + width);
        }

        if (chunks > 2)
        {
            TW.Store(x2, p + (2 * width));
        }

        if (chunks > 3)
        {
            TW.Store(x3, p + (3 * width));
        }
    }
}

/// <summary>The arguments of one parallel leaf sweep, kept on the caller's stack for the workers.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct SweepContext<T>
    where T : unmanaged
{
    public T* A;
    public nint Lda;
    public int Kb;
    public int RowStart;
    public int RowEnd;
    public int VCol;
    public int StatCol;
    public T Scale;
    public T Tau;
    public T* W;
    public T* Partials;
    public int ChunkRows;
    public int Chunks;
    public InstructionSet Isa;
}
