using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The fused leaf of <see cref="QrPanelFactorization"/> with two reflectors per sweep, for leaves whose rows are one
/// to four whole 512-bit vectors. Each sweep down the rows applies reflectors i and i + 1 (<see cref="PairedLeafSweep"/>),
/// so a leaf of width kb is read about kb / 2 + 1 times instead of kb + 1.
/// <para>
/// What the second reflector needs is known before the sweep from Gram algebra. The previous sweep accumulated the
/// Gram rows of columns i and i + 1 over rows i and below. The reflectors act on rows only, so H_i leaves the Gram
/// matrix of rows i..m-1 unchanged: column i + 1's squared norm and dot products over rows below i + 1, after H_i,
/// are its Gram row minus the products of rows i and i + 1 after H_i, which are formed in scalar code here. This
/// downdating subtracts, so it is used only when it cannot lose accuracy (the recompute rule of LAPACK's column-norm
/// downdating in dlaqp2 / dlaqps): when H_i leaves at least a quarter of column i + 1's squared norm in rows i + 1
/// and below. The error of the downdated quantities relative to what reflector i + 1 divides them by is then at most
/// 4 eps, as for a directly accumulated column. Otherwise (nearly parallel columns), and when either reflector needs
/// LAPACK's careful dlarfg path, the step applies reflector i alone and its sweep accumulates column i + 1's Gram row
/// directly from the updated values. Column i's own downdating (its Gram row over rows i and below, minus row i) is
/// always safe: its errors are at most eps ||A(i:, i)||^2, and the reflector divides by that.
/// </para>
/// <para>
/// The sweeps are split into the same fixed row chunks as the one-reflector sweep, with per-chunk partial sums added
/// in chunk order, so the result does not depend on the thread count. docs/lapack.md ("Tall-skinny, session 9").
/// </para>
/// </summary>
internal static unsafe class PairedLeafFactorization
{
    /// <summary>
    /// Turns off the recompute rule on the calling thread (every pair is taken from downdated Gram rows): the mutation
    /// check that shows the tests detect its absence. Never set outside tests.
    /// </summary>
    [ThreadStatic]
    internal static bool DisableRecomputeRule;

    /// <summary>Steps on the calling thread that applied two reflectors in one sweep (read by tests).</summary>
    [ThreadStatic]
    internal static long PairSteps;

    /// <summary>Steps on the calling thread that applied one reflector in a sweep (read by tests).</summary>
    [ThreadStatic]
    internal static long SingleSteps;

    /// <summary>Fraction of column i + 1's squared norm that must remain in rows i + 1 and below for downdating.</summary>
    private const double DowndateFraction = 0.25;

    /// <summary>
    /// Whether a leaf whose rows are <paramref name="width"/> columns wide takes this kernel, and on which vectors. On
    /// 256-bit vectors (16 registers) the two-reflector sweep spills some of its accumulators to the stack, and is still
    /// ahead of the one-reflector sweep: Zen 3, one thread, alternating runs (session 11), float 60000 x 32 leaf 6.1-6.9
    /// against 9.3-9.8 ms, whole QR 10000 x 100 6.8-7.8 against 7.8-10.2 ms, 3072 x 257 9.0 against 9.5-10.2; double
    /// 60000 x 257 551-568 against 600-655 ms, 60000 x 129 182-206 against 195-224 (docs/lapack.md).
    /// </summary>
    public static bool Applies<T>(int width, out InstructionSet isa)
        where T : unmanaged
    {
        isa = RowVectorLanes.For<T>(width, maxVectors: 4);
        return isa switch
        {
            InstructionSet.Vector512 => width % Vector512<T>.Count == 0 && width <= 4 * Vector512<T>.Count,
            InstructionSet.Vector256 => width % Vector256<T>.Count == 0 && width <= 4 * Vector256<T>.Count,
            _ => false,
        };
    }

    /// <summary>
    /// Householder QR of the first kb columns of the leaf in place (tau set), with S = V^T V (strict upper triangle);
    /// columns kb and up of <paramref name="panel"/>, if any, are zero padding. Same contract as the one-reflector leaf.
    /// </summary>
    public static void Factor<T>(MatrixSpan<T> panel, int kb, Span<T> tau, MatrixSpan<T> s, InstructionSet isa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = panel.Rows, width = panel.Cols;
        Span<T> w1 = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> w2 = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> g = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> h = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> sa = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> ta = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        Span<T> rowJ = stackalloc T[QrPanelFactorization.MaxLeafWidth];
        T fraction = T.CreateTruncating(DowndateFraction);
        bool recompute = !DisableRecomputeRule;
        var sweep = new Sweeper<T>(isa, width);
        fixed (T* a = &Guard.Ref(panel))
        {
            nint lda = panel.Stride;

            // Gram rows of columns 0 and 1 over all rows.
            sweep.Run(a, lda, m, 0, 0, -1, T.Zero, T.Zero, w1, T.Zero, T.Zero, w2, 0, g, h, sa, ta);
            int i = 0;
            while (i < kb)
            {
                T* rowI = a + (i * lda);
                T alpha = rowI[i];
                T ss = g[i];
                w1.Clear();

                // beta = -sign(alpha) ||A(i:, i)|| (ss is the squared norm over rows i and below), v = A(i+1:, i) /
                // (alpha - beta), w = v^T A(i:, c) with the dot products over rows below i from the Gram row minus row i.
                bool fast = HouseholderReflector.TryGenerateFromNorm(ref rowI[i], ss - (alpha * alpha), ss, out T tauI, out T scaleI);
                if (fast)
                {
                    for (int c = i + 1; c < kb; c++)
                    {
                        w1[c] = rowI[c] + (scaleI * (g[c] - (alpha * rowI[c])));
                    }
                }
                else
                {
                    // Careful path (zero, tiny or huge column): dlarfg scales x into v, then a statistics-only sweep
                    // takes the dot products of v with the columns to its right.
                    tauI = HouseholderReflector.Generate(ref rowI[i], rowI + lda + i, lda, m - i - 1);
                    scaleI = T.One;
                    sweep.Run(a, lda, m, i + 1, 0, -1, T.Zero, T.Zero, w1, T.Zero, T.Zero, w2, i, g, h, sa, ta);
                    for (int c = i + 1; c < kb; c++)
                    {
                        w1[c] = rowI[c] + g[c];
                    }
                }

                tau[i] = tauI;
                for (int c = i + 1; c < kb; c++)
                {
                    rowI[c] -= tauI * w1[c];
                }

                // Reflector i + 1 from the downdated Gram row of column i + 1, when the recompute rule allows it and
                // rows below i + 1 exist (a square leaf's last reflector is the careful path's tau = 0).
                int j = i + 1;
                if (fast && j < kb && i + 2 < m)
                {
                    T* rowJp = rowI + lda;
                    T aji = rowJp[i];
                    T nt1 = -tauI * scaleI;
                    for (int c = j; c < kb; c++)
                    {
                        rowJ[c] = T.FusedMultiplyAdd(aji, nt1 * w1[c], rowJp[c]);
                    }

                    T aij = rowI[j], alphaJ = rowJ[j], betaJ = alphaJ;
                    T ssJ = h[j] - (aij * aij);
                    if ((!recompute || ssJ >= fraction * h[j])
                        && HouseholderReflector.TryGenerateFromNorm(ref betaJ, ssJ - (alphaJ * alphaJ), ssJ, out T tauJ, out T scaleJ))
                    {
                        w2.Clear();
                        for (int c = j + 1; c < kb; c++)
                        {
                            T below = h[c] - (aij * rowI[c]) - (alphaJ * rowJ[c]);
                            w2[c] = rowJ[c] + (scaleJ * below);
                        }

                        T vij = aji * scaleI;
                        rowJp[i] = vij;
                        rowJp[j] = betaJ;
                        for (int c = j + 1; c < kb; c++)
                        {
                            rowJp[c] = rowJ[c] - (tauJ * w2[c]);
                        }

                        tau[j] = tauJ;
                        sweep.Run(a, lda, m, i + 2, 2, i, scaleI, tauI, w1, scaleJ, tauJ, w2, i + 2, g, h, sa, ta);

                        // S(l, i) = v_l(i) + v_l(i+1) v_i(i+1) + scale_i sum a v_l; S(l, i+1) = v_l(i+1) + scale_j sum b v_l,
                        // where the sweep's lane i holds the unscaled a.
                        for (int l = 0; l < i; l++)
                        {
                            s[l, i] = rowI[l] + (vij * rowJp[l]) + (scaleI * sa[l]);
                            s[l, j] = rowJp[l] + (scaleJ * ta[l]);
                        }

                        s[i, j] = vij + (scaleJ * (scaleI * ta[i]));
                        i += 2;
                        PairSteps++;
                        continue;
                    }
                }

                sweep.Run(a, lda, m, i + 1, 1, i, scaleI, tauI, w1, T.Zero, T.Zero, w2, i + 1, g, h, sa, ta);
                for (int l = 0; l < i; l++)
                {
                    s[l, i] = rowI[l] + (scaleI * sa[l]);
                }

                i++;
                SingleSteps++;
            }
        }
    }

    /// <summary>Runs the chunked, parallel sweeps of one leaf and sums their partials in chunk order.</summary>
    private readonly ref struct Sweeper<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly InstructionSet _isa;
        private readonly int _width;

        public Sweeper(InstructionSet isa, int width)
        {
            _isa = isa;
            _width = width;
        }

        /// <summary>
        /// One sweep down rows rowStart..m-1 applying <paramref name="reflectors"/> reflectors from column vCol, with the
        /// Gram rows of columns statCol and statCol + 1 into g and h and the S accumulations into s and t (all
        /// overwritten). Statistics columns past the leaf are clamped to its last column and their results ignored.
        /// </summary>
        public void Run(T* a, nint lda, int m, int rowStart, int reflectors, int vCol, T scale1, T tau1, Span<T> w1, T scale2, T tau2, Span<T> w2, int statCol, Span<T> g, Span<T> h, Span<T> s, Span<T> t)
        {
            int width = _width;
            int chunks = QrPanelFactorization.SweepChunks(m - rowStart, out int chunkRows);
            int stride = 4 * width;
            Span<T> partials = stackalloc T[chunks * stride];
            int threads = chunks < 2 ? 1 : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads);
            fixed (T* pw1 = w1, pw2 = w2, pp = partials)
            {
                var ctx = new PairedSweepContext<T>
                {
                    A = a, Lda = lda, Width = width, RowStart = rowStart, RowEnd = m, Reflectors = reflectors, VCol = vCol,
                    Scale1 = scale1, Tau1 = tau1, W1 = pw1, Scale2 = scale2, Tau2 = tau2, W2 = pw2,
                    StatCol = Math.Min(statCol, width - 1), StatCol2 = Math.Min(statCol + 1, width - 1),
                    Partials = pp, ChunkRows = chunkRows, Chunks = chunks, Isa = _isa,
                };
                WorkerPool.Shared.Run(Math.Min(threads, chunks), &Job<T>, &ctx);
            }

            g[..width].Clear();
            h[..width].Clear();
            s[..width].Clear();
            t[..width].Clear();
            for (int q = 0; q < chunks; q++)
            {
                Span<T> p = partials.Slice(q * stride, stride);
                for (int c = 0; c < width; c++)
                {
                    g[c] += p[c];
                    h[c] += p[width + c];
                    s[c] += p[(2 * width) + c];
                    t[c] += p[(3 * width) + c];
                }
            }
        }
    }

    private static void Job<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref PairedSweepContext<T> c = ref Unsafe.AsRef<PairedSweepContext<T>>(context);
        int q0 = (int)((long)c.Chunks * thread / threads), q1 = (int)((long)c.Chunks * (thread + 1) / threads);
        for (int q = q0; q < q1; q++)
        {
            int r0 = c.RowStart + (q * c.ChunkRows), r1 = Math.Min(c.RowEnd, r0 + c.ChunkRows);
            T* p = c.Partials + (q * 4 * c.Width);
            if (c.Isa == InstructionSet.Vector512)
            {
                ByCount<T, Lanes512<T>, Vector512<T>>(ref c, r0, r1, p);
            }
            else
            {
                ByCount<T, Lanes256<T>, Vector256<T>>(ref c, r0, r1, p);
            }
        }
    }

    private static void ByCount<T, TW, TV>(ref PairedSweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        switch (c.Width / TW.Count)
        {
            case 1: ByReflectors<T, TW, TV, OneVector>(ref c, r0, r1, p); break;
            case 2: ByReflectors<T, TW, TV, TwoVectors>(ref c, r0, r1, p); break;
            case 3: ByReflectors<T, TW, TV, ThreeVectors>(ref c, r0, r1, p); break;
            default: ByReflectors<T, TW, TV, FourVectors>(ref c, r0, r1, p); break;
        }
    }

    private static void ByReflectors<T, TW, TV, TN>(ref PairedSweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
    {
        switch (c.Reflectors)
        {
            case 0: Run<T, TW, TV, TN, StatisticsOnly, NoReflector>(ref c, r0, r1, p); break;
            case 1: ByFixed<T, TW, TV, TN, OneReflector>(ref c, r0, r1, p); break;
            default: ByFixed<T, TW, TV, TN, TwoReflectors>(ref c, r0, r1, p); break;
        }
    }

    private static void ByFixed<T, TW, TV, TN, TR>(ref PairedSweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
        where TR : struct, IReflectorCount
    {
        // Leading vectors whose lanes are all at or left of vCol: neither reflector changes them.
        switch (Math.Min((c.VCol + 1) / TW.Count, TN.Count))
        {
            case 0: Run<T, TW, TV, TN, NoFixedVectors, TR>(ref c, r0, r1, p); break;
            case 1: Run<T, TW, TV, TN, OneFixedVector, TR>(ref c, r0, r1, p); break;
            case 2: Run<T, TW, TV, TN, TwoFixedVectors, TR>(ref c, r0, r1, p); break;
            case 3: Run<T, TW, TV, TN, ThreeFixedVectors, TR>(ref c, r0, r1, p); break;
            default: Run<T, TW, TV, TN, FourFixedVectors, TR>(ref c, r0, r1, p); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<T, TW, TV, TN, TF, TR>(ref PairedSweepContext<T> c, int r0, int r1, T* p)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
        where TN : struct, IVectorCount
        where TF : struct, IFixedVectors
        where TR : struct, IReflectorCount =>
        PairedLeafSweep.Run<T, TW, TV, TN, TF, TR>(
            c.A, c.Lda, r0, r1, c.VCol, c.Scale1, c.Tau1, c.W1, c.Scale2, c.Tau2, c.W2, c.StatCol, c.StatCol2,
            p, p + c.Width, p + (2 * c.Width), p + (3 * c.Width));
}

/// <summary>The arguments of one parallel paired leaf sweep, kept on the caller's stack for the workers.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe struct PairedSweepContext<T>
    where T : unmanaged
{
    public T* A;
    public nint Lda;
    public int Width;
    public int RowStart;
    public int RowEnd;
    public int Reflectors;
    public int VCol;
    public T Scale1;
    public T Tau1;
    public T* W1;
    public T Scale2;
    public T Tau2;
    public T* W2;
    public int StatCol;
    public int StatCol2;
    public T* Partials;
    public int ChunkRows;
    public int Chunks;
    public InstructionSet Isa;
}
