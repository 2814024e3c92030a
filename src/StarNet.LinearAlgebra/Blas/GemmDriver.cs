using System.Numerics;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

namespace StarNet.LinearAlgebra.Blas3;

/// <summary>
/// The packed, cache-blocked GEMM in the Goto/BLIS structure. The micro-tile is MR rows by NR columns of the
/// row-major C, with NR along the contiguous direction (BLIS's "row-preferential" kernels):
/// <code>
/// for jc in 0..n step NC            B block (KC x NC) packed into NR-column micro-panels  -> L3
///   for pc in 0..k step KC
///     pack B block (threads share the panels); barrier
///     for ic in 0..m step MC        A block (MC x KC) packed into MR-row micro-panels     -> L2
///       pack A block
///       for jr (NR columns)         one KC x NR micro-panel of B stays in L1
///         for ir (MR rows)          A micro-panels stream from L2
///           micro-kernel: C[ir, jr] (+)= alpha * Ap[ir] * Bp[jr]
///     barrier
/// </code>
/// Threads take whole A blocks when there are enough of them (each thread packs its own into its own L2),
/// otherwise they share each A block and split its B micro-panels. Every C element is computed by one thread,
/// with the same KC blocking and kernel, so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Products below this many flops run on the calling thread alone.</summary>
    private const double ParallelFlopThreshold = 4e6;

    public static void Run<T>(T alpha, T* a, nint lda, bool transA, T* b, nint ldb, bool transB, T beta, T* c, nint ldc, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (LinearAlgebraSettings.ActiveInstructionSet)
        {
            case InstructionSet.Vector512:
                Run<T, GemmMicroKernel512<T>>(alpha, a, lda, transA, b, ldb, transB, beta, c, ldc, m, n, k);
                break;
            case InstructionSet.Vector256:
                Run<T, GemmMicroKernel256<T>>(alpha, a, lda, transA, b, ldb, transB, beta, c, ldc, m, n, k);
                break;
            default:
                Run<T, GemmMicroKernelScalar<T>>(alpha, a, lda, transA, b, ldb, transB, beta, c, ldc, m, n, k);
                break;
        }
    }

    /// <summary>The tuned block sizes for a kernel and element type (see docs/engine.md for the reasoning).</summary>
    public static GemmBlockSizes DefaultBlockSizes<T, TKernel>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        // KC: one KC x NR micro-panel of B fills about half of the 32 KiB L1d.
        // MC: the MC x KC packed A block fills about a third of the 512 KiB per-core L2.
        // NC: the KC x NC packed B block is shared by the threads and lives in the 32 MiB L3.
        int size = Unsafe.SizeOf<T>();
        int kc = Math.Clamp(16 * 1024 / (TKernel.NR * size), 64, 384);
        int mc = Math.Max(TKernel.MR, 168 * 1024 / (kc * size) / TKernel.MR * TKernel.MR);
        int nc = Math.Max(TKernel.NR, 4 * 1024 * 1024 / (kc * size) / TKernel.NR * TKernel.NR);
        return new GemmBlockSizes(mc, kc, nc);
    }

    private static void Run<T, TKernel>(T alpha, T* a, nint lda, bool transA, T* b, nint ldb, bool transB, T beta, T* c, nint ldc, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0 || alpha == T.Zero)
        {
            ScaleC(beta, c, ldc, m, n);
            return;
        }

        GemmBlockSizes blocks = LinearAlgebraSettings.GemmBlockSizesOverride ?? DefaultBlockSizes<T, TKernel>();
        int mr = TKernel.MR, nr = TKernel.NR;
        int kc = Balance(k, blocks.KC, 1);
        int threads = 2.0 * m * n * k < ParallelFlopThreshold ? 1 : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads);
        int mc = BalanceBlocks(m, blocks.MC, mr, threads);
        int nc = Balance(n, blocks.NC, nr);
        int size = Unsafe.SizeOf<T>();

        var ctx = new Context<T>
        {
            A = a, Lda = lda, TransA = transA, B = b, Ldb = ldb, TransB = transB, C = c, Ldc = ldc,
            M = m, N = n, K = k, Alpha = alpha, Beta = beta, Mc = mc, Kc = kc, Nc = nc,
            Ap = (T*)PackingBuffers.A((nuint)(RoundUp(mc, mr) * kc * size)),
            Bp = (T*)PackingBuffers.B((nuint)(RoundUp(nc, nr) * kc * size)),
        };

        if (threads > 1 && (m + mc - 1) / mc < threads && (n + nr - 1) / nr >= threads)
        {
            // One block of A for all threads (small M, e.g. W = V^T C of a block reflector, k x m times m x n):
            // sharing it would cost three barriers per KC step for a few microseconds of work each.
            WorkerPool.Shared.Run(threads, &ColumnJob<T, TKernel>, &ctx);
            return;
        }

        WorkerPool.Shared.Run(threads, &Job<T, TKernel>, &ctx);
    }

    /// <summary>
    /// The split for a small M: each thread computes its own columns of C (whole NR micro-panels) from the first
    /// KC step to the last, packing A and its part of B into its own buffers, with no barrier. Every element of C
    /// goes through the same packing, micro-kernel and KC steps as on one thread, so the result is the same bits.
    /// </summary>
    private static void ColumnJob<T, TKernel>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        ref Context<T> ctx = ref Unsafe.AsRef<Context<T>>(context);
        int mr = TKernel.MR, nr = TKernel.NR, size = Unsafe.SizeOf<T>();
        T* tile = stackalloc T[TKernel.MR * TKernel.NR];
        Share((ctx.N + nr - 1) / nr, thread, threads, out int p0, out int p1);
        int n0 = p0 * nr, n1 = Math.Min(ctx.N, p1 * nr);
        T* ap = thread == 0 ? ctx.Ap : (T*)PackingBuffers.A((nuint)(RoundUp(ctx.Mc, mr) * ctx.Kc * size));
        T* bp = thread == 0 ? ctx.Bp : (T*)PackingBuffers.B((nuint)(RoundUp(ctx.Nc, nr) * ctx.Kc * size));
        for (int jc = n0; jc < n1; jc += ctx.Nc)
        {
            int ncb = Math.Min(ctx.Nc, n1 - jc);
            int panelsB = (ncb + nr - 1) / nr;
            for (int pc = 0; pc < ctx.K; pc += ctx.Kc)
            {
                int kcb = Math.Min(ctx.Kc, ctx.K - pc);
                T beta = pc == 0 ? ctx.Beta : T.One;
                GemmPacking.PackB<T, TKernel>(ctx.B, ctx.Ldb, ctx.TransB, jc, ncb, 0, panelsB, pc, kcb, bp);
                for (int ic = 0; ic < ctx.M; ic += ctx.Mc)
                {
                    int mcb = Math.Min(ctx.Mc, ctx.M - ic);
                    GemmPacking.PackA<T, TKernel>(ctx.A, ctx.Lda, ctx.TransA, ic, mcb, 0, (mcb + mr - 1) / mr, pc, kcb, ap);
                    Macro<T, TKernel>(ref ctx, ap, bp, ic, mcb, jc, ncb, kcb, 0, panelsB, beta, tile);
                }
            }
        }
    }

    private static void Job<T, TKernel>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        ref Context<T> ctx = ref Unsafe.AsRef<Context<T>>(context);
        int mr = TKernel.MR, nr = TKernel.NR;
        T* tile = stackalloc T[TKernel.MR * TKernel.NR];
        int blocksA = (ctx.M + ctx.Mc - 1) / ctx.Mc;
        bool ownBlocks = blocksA >= threads;
        T* ownAp = ownBlocks && thread != 0 ? (T*)PackingBuffers.A((nuint)(RoundUp(ctx.Mc, mr) * ctx.Kc * Unsafe.SizeOf<T>())) : ctx.Ap;
        for (int jc = 0; jc < ctx.N; jc += ctx.Nc)
        {
            int ncb = Math.Min(ctx.Nc, ctx.N - jc);
            int panelsB = (ncb + nr - 1) / nr;
            for (int pc = 0; pc < ctx.K; pc += ctx.Kc)
            {
                int kcb = Math.Min(ctx.Kc, ctx.K - pc);
                T beta = pc == 0 ? ctx.Beta : T.One;
                Share(panelsB, thread, threads, out int b0, out int b1);
                GemmPacking.PackB<T, TKernel>(ctx.B, ctx.Ldb, ctx.TransB, jc, ncb, b0, b1, pc, kcb, ctx.Bp);

                ctx.Barrier.SignalAndWait(threads);
                if (ownBlocks)
                {
                    Share(blocksA, thread, threads, out int s0, out int s1);
                    for (int blk = s0; blk < s1; blk++)
                    {
                        int ic = blk * ctx.Mc;
                        int mcb = Math.Min(ctx.Mc, ctx.M - ic);
                        int panelsA = (mcb + mr - 1) / mr;
                        GemmPacking.PackA<T, TKernel>(ctx.A, ctx.Lda, ctx.TransA, ic, mcb, 0, panelsA, pc, kcb, ownAp);

                        Macro<T, TKernel>(ref ctx, ownAp, ctx.Bp, ic, mcb, jc, ncb, kcb, 0, panelsB, beta, tile);
                    }
                }
                else
                {
                    for (int ic = 0; ic < ctx.M; ic += ctx.Mc)
                    {
                        int mcb = Math.Min(ctx.Mc, ctx.M - ic);
                        int panelsA = (mcb + mr - 1) / mr;
                        Share(panelsA, thread, threads, out int a0, out int a1);
                        GemmPacking.PackA<T, TKernel>(ctx.A, ctx.Lda, ctx.TransA, ic, mcb, a0, a1, pc, kcb, ctx.Ap);

                        ctx.Barrier.SignalAndWait(threads);
                        Share(panelsB, thread, threads, out int j0, out int j1);
                        Macro<T, TKernel>(ref ctx, ctx.Ap, ctx.Bp, ic, mcb, jc, ncb, kcb, j0, j1, beta, tile);
                        ctx.Barrier.SignalAndWait(threads);
                    }
                }

                ctx.Barrier.SignalAndWait(threads);
            }
        }
    }

    /// <summary>The macro-kernel: B micro-panels j0..j1-1 of the packed B block at bp0 against every A micro-panel of the packed A block at ap0.</summary>
    private static void Macro<T, TKernel>(ref Context<T> ctx, T* ap0, T* bp0, int ic, int mcb, int jc, int ncb, int kcb, int j0, int j1, T beta, T* tile)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int panelsA = (mcb + mr - 1) / mr;
        for (int jr = j0; jr < j1; jr++)
        {
            int cols = Math.Min(nr, ncb - (jr * nr));
            T* bp = bp0 + (jr * nr * kcb);
            T* ccol = ctx.C + (ic * ctx.Ldc) + jc + (jr * nr);
            for (int ir = 0; ir < panelsA; ir++)
            {
                int rows = Math.Min(mr, mcb - (ir * mr));
                T* ap = ap0 + (ir * mr * kcb);
                T* cp = ccol + (ir * mr * ctx.Ldc);
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kcb, ap, bp, cp, ctx.Ldc, ctx.Alpha, beta);
                }
                else
                {
                    TKernel.Run(kcb, ap, bp, tile, nr, ctx.Alpha, T.Zero);
                    MergeTile(tile, nr, cp, ctx.Ldc, rows, cols, beta);
                }
            }
        }
    }

    private static void MergeTile<T>(T* tile, int ldt, T* c, nint ldc, int rows, int cols, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            T* src = tile + (i * ldt);
            T* dst = c + (i * ldc);
            if (beta == T.Zero)
            {
                for (int j = 0; j < cols; j++)
                {
                    dst[j] = src[j];
                }
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    dst[j] = src[j] + (beta * dst[j]);
                }
            }
        }
    }

    /// <summary>C := beta C, where beta = 0 overwrites C with zeros without reading it.</summary>
    internal static void ScaleC<T>(T beta, T* c, nint ldc, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (i * ldc), n);
            if (beta == T.Zero)
            {
                row.Clear();
            }
            else if (beta != T.One)
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] *= beta;
                }
            }
        }
    }

    private static void Share(int count, int thread, int threads, out int start, out int end)
    {
        start = (int)((long)count * thread / threads);
        end = (int)((long)count * (thread + 1) / threads);
    }

    /// <summary>Splits <paramref name="total"/> into equal blocks of at most <paramref name="max"/>, rounded up to a multiple of <paramref name="multiple"/>.</summary>
    internal static int Balance(int total, int max, int multiple)
    {
        max = Math.Max(multiple, max / multiple * multiple);
        int blocks = (total + max - 1) / max;
        int size = (total + blocks - 1) / blocks;
        return Math.Min(max, RoundUp(size, multiple));
    }

    /// <summary>Like <see cref="Balance"/>, but prefers a block count that is a multiple of the thread count (when there are several blocks).</summary>
    private static int BalanceBlocks(int total, int max, int multiple, int threads)
    {
        max = Math.Max(multiple, max / multiple * multiple);
        int blocks = (total + max - 1) / max;
        if (threads > 1 && total >= threads * multiple * 4)
        {
            blocks = (blocks + threads - 1) / threads * threads;
        }

        int size = (total + blocks - 1) / blocks;
        return Math.Min(max, RoundUp(size, multiple));
    }

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    private struct Context<T>
        where T : unmanaged
    {
        public T* A;
        public nint Lda;
        public bool TransA;
        public T* B;
        public nint Ldb;
        public bool TransB;
        public T* C;
        public nint Ldc;
        public int M;
        public int N;
        public int K;
        public T Alpha;
        public T Beta;
        public int Mc;
        public int Kc;
        public int Nc;
        public T* Ap;
        public T* Bp;
        public SpinBarrier Barrier;
    }
}
