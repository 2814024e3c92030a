using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

namespace StarNet.LinearAlgebra.Blas3;

/// <summary>
/// The blocked SYRK: <c>C := alpha op(A) op(A)^T + beta C</c> on one triangle of C, in GEMM's Goto/BLIS structure with
/// GEMM's packing and micro-kernel, visiting only the micro-tiles that meet the triangle:
/// <code>
/// for jc in 0..n step NC              columns of C; op(A)^T block packed once into NR-column micro-panels (shared)
///   for pc in 0..k step KC
///     pack op(A)^T block (threads share the panels); barrier
///     for ic over this thread's rows   op(A) rows packed into MR-row micro-panels (per thread, L2)
///       for jr, ir over tiles that meet the triangle
///         off-diagonal tile: micro-kernel straight into C
///         tile crossing the diagonal: micro-kernel into a scratch tile, then its triangle merged into C
///     barrier
/// </code>
/// About half of GEMM's flops, at GEMM's rate. The rows of C are split between threads by equal triangle area
/// (boundaries on multiples of MR), and every element of C is computed by one thread, on the same global tile grid,
/// with the same KC blocking and kernel, so results do not depend on the thread count.
/// <para>
/// The source element type may be narrower than C's (float data, double C): values are widened while packing
/// (exactly: every float is a double), so the Gram matrix of float data is accumulated in double at the double
/// kernel's rate, with no separate conversion pass.
/// </para>
/// </summary>
internal static unsafe class SyrkDriver
{
    /// <summary>Updates below this many flops (n^2 k) run on the calling thread alone.</summary>
    private const double ParallelFlopThreshold = 4e6;

    /// <summary>
    /// C (n x n, row-major, stride ldc) := alpha op(A) op(A)^T + beta C on the lower or upper triangle, where op(A) is A
    /// (n x k, stride lda) or, with <paramref name="transA"/>, A^T (A k x n). beta = 0 ignores what C held.
    /// </summary>
    public static void Run<TIn, T>(bool lower, bool transA, T alpha, TIn* a, nint lda, T beta, T* c, nint ldc, int n, int k)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (LinearAlgebraSettings.ActiveInstructionSet)
        {
            case InstructionSet.Vector512:
                Run<TIn, T, GemmMicroKernel512<T>>(lower, transA, alpha, a, lda, beta, c, ldc, n, k);
                break;
            case InstructionSet.Vector256:
                Run<TIn, T, GemmMicroKernel256<T>>(lower, transA, alpha, a, lda, beta, c, ldc, n, k);
                break;
            default:
                Run<TIn, T, GemmMicroKernelScalar<T>>(lower, transA, alpha, a, lda, beta, c, ldc, n, k);
                break;
        }
    }

    /// <summary>The first row of thread <paramref name="thread"/>'s share: equal areas of the triangle, on multiples of <paramref name="mr"/>.</summary>
    internal static int RowSplit(int n, int thread, int threads, bool lower, int mr)
    {
        if (thread <= 0)
        {
            return 0;
        }

        if (thread >= threads)
        {
            return n;
        }

        double f = (double)thread / threads;
        double r = lower ? n * Math.Sqrt(f) : n * (1 - Math.Sqrt(1 - f));
        return Math.Min(n, (int)Math.Round(r / mr) * mr);
    }

    private static void Run<TIn, T, TKernel>(bool lower, bool transA, T alpha, TIn* a, nint lda, T beta, T* c, nint ldc, int n, int k)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        if (n == 0)
        {
            return;
        }

        if (k == 0 || alpha == T.Zero)
        {
            ScaleTriangle(lower, beta, c, ldc, n);
            return;
        }

        GemmBlockSizes blocks = LinearAlgebraSettings.GemmBlockSizesOverride ?? GemmDriver.DefaultBlockSizes<T, TKernel>();
        int mr = TKernel.MR, nr = TKernel.NR;
        int kc = GemmDriver.Balance(k, blocks.KC, 1);
        int nc = GemmDriver.Balance(n, blocks.NC, nr);
        int mc = Math.Max(mr, blocks.MC / mr * mr);
        int threads = (double)n * n * k < ParallelFlopThreshold ? 1 : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads);
        var ctx = new Context<TIn, T>
        {
            A = a, Lda = lda, TransA = transA, Lower = lower, C = c, Ldc = ldc, N = n, K = k,
            Alpha = alpha, Beta = beta, Mc = mc, Kc = kc, Nc = nc,
            Bp = (T*)PackingBuffers.B((nuint)(GemmDriver.RoundUp(nc, nr) * kc * Unsafe.SizeOf<T>())),
        };

        WorkerPool.Shared.Run(threads, &Job<TIn, T, TKernel>, &ctx);
    }

    private static void Job<TIn, T, TKernel>(void* context, int thread, int threads)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        ref Context<TIn, T> ctx = ref Unsafe.AsRef<Context<TIn, T>>(context);
        int mr = TKernel.MR, nr = TKernel.NR;
        bool lower = ctx.Lower;
        T* tile = stackalloc T[TKernel.MR * TKernel.NR];
        int r0 = RowSplit(ctx.N, thread, threads, lower, mr), r1 = RowSplit(ctx.N, thread + 1, threads, lower, mr);
        T* ap = (T*)PackingBuffers.A((nuint)(GemmDriver.RoundUp(ctx.Mc, mr) * ctx.Kc * Unsafe.SizeOf<T>()));
        for (int jc = 0; jc < ctx.N; jc += ctx.Nc)
        {
            int ncb = Math.Min(ctx.Nc, ctx.N - jc);
            int panelsB = (ncb + nr - 1) / nr;

            // This thread's rows that meet columns jc..jc+ncb-1 inside the triangle (row blocks start on multiples of MR).
            int lo = lower ? Math.Max(r0, jc / mr * mr) : r0;
            int hi = lower ? r1 : Math.Min(r1, jc + ncb);
            for (int pc = 0; pc < ctx.K; pc += ctx.Kc)
            {
                int kcb = Math.Min(ctx.Kc, ctx.K - pc);
                T beta = pc == 0 ? ctx.Beta : T.One;
                int b0 = (int)((long)panelsB * thread / threads), b1 = (int)((long)panelsB * (thread + 1) / threads);
                PackColumns<TIn, T, TKernel>(ref ctx, jc, ncb, b0, b1, pc, kcb);
                ctx.Barrier.SignalAndWait(threads);
                for (int ic = lo; ic < hi; ic += ctx.Mc)
                {
                    int mcb = Math.Min(ctx.Mc, hi - ic);

                    // Micro-panels of the packed columns that meet rows ic..ic+mcb-1 inside the triangle.
                    int p0 = lower ? 0 : Math.Max(0, ic - jc) / nr;
                    int p1 = lower ? (Math.Min(ncb, ic + mcb - jc) + nr - 1) / nr : panelsB;
                    if (p0 >= p1)
                    {
                        continue;
                    }

                    int panelsA = (mcb + mr - 1) / mr;
                    PackRows<TIn, T, TKernel>(ref ctx, ic, mcb, panelsA, pc, kcb, ap);
                    Macro<TIn, T, TKernel>(ref ctx, ap, ic, mcb, jc, ncb, kcb, p0, p1, beta, tile);
                }

                ctx.Barrier.SignalAndWait(threads);
            }
        }
    }

    /// <summary>The tiles of rows ic..ic+mcb-1 against column micro-panels p0..p1-1 that meet the triangle.</summary>
    private static void Macro<TIn, T, TKernel>(ref Context<TIn, T> ctx, T* ap0, int ic, int mcb, int jc, int ncb, int kcb, int p0, int p1, T beta, T* tile)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int panelsA = (mcb + mr - 1) / mr;
        bool lower = ctx.Lower;
        for (int jr = p0; jr < p1; jr++)
        {
            int cols = Math.Min(nr, ncb - (jr * nr));
            int gj0 = jc + (jr * nr), gj1 = gj0 + cols - 1;
            T* bp = ctx.Bp + (jr * nr * kcb);
            for (int ir = 0; ir < panelsA; ir++)
            {
                int rows = Math.Min(mr, mcb - (ir * mr));
                int gi0 = ic + (ir * mr), gi1 = gi0 + rows - 1;
                bool meets = lower ? gj0 <= gi1 : gj1 >= gi0;
                if (!meets)
                {
                    continue;
                }

                bool inside = lower ? gj1 <= gi0 : gj0 >= gi1;
                T* ap = ap0 + (ir * mr * kcb);
                T* cp = ctx.C + (gi0 * ctx.Ldc) + gj0;
                if (inside && rows == mr && cols == nr)
                {
                    TKernel.Run(kcb, ap, bp, cp, ctx.Ldc, ctx.Alpha, beta);
                }
                else
                {
                    TKernel.Run(kcb, ap, bp, tile, nr, ctx.Alpha, T.Zero);
                    MergeTriangle(tile, nr, cp, ctx.Ldc, rows, cols, gi0 - gj0, lower, beta);
                }
            }
        }
    }

    /// <summary>Merges the part of a rows x cols tile whose element (r, q) satisfies q &lt;= r + offset (lower) or q &gt;= r + offset (upper).</summary>
    private static void MergeTriangle<T>(T* tile, int ldt, T* c, nint ldc, int rows, int cols, int offset, bool lower, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            int q0 = lower ? 0 : Math.Max(0, r + offset);
            int q1 = lower ? Math.Min(cols, r + offset + 1) : cols;
            T* src = tile + (r * ldt);
            T* dst = c + (r * ldc);
            for (int q = q0; q < q1; q++)
            {
                dst[q] = beta == T.Zero ? src[q] : src[q] + (beta * dst[q]);
            }
        }
    }

    /// <summary>Packs rows row0..row0+rows-1 of op(A) (depth p0..p0+kc-1) into MR-row micro-panels, widening to T.</summary>
    private static void PackRows<TIn, T, TKernel>(ref Context<TIn, T> ctx, int row0, int rows, int panels, int p0, int kc, T* dst)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        if (typeof(TIn) == typeof(T))
        {
            GemmPacking.PackA<T, TKernel>((T*)ctx.A, ctx.Lda, ctx.TransA, row0, rows, 0, panels, p0, kc, dst);
            return;
        }

        PackWidened(ref ctx, row0, rows, 0, panels, TKernel.MR, p0, kc, dst);
    }

    /// <summary>Packs micro-panels panel0..panel1-1 of op(A)^T's columns col0..col0+cols-1 (depth p0..p0+kc-1), widening to T.</summary>
    private static void PackColumns<TIn, T, TKernel>(ref Context<TIn, T> ctx, int col0, int cols, int panel0, int panel1, int p0, int kc)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        if (typeof(TIn) == typeof(T))
        {
            // op(A)^T is A^T (B transposed) for op(A) = A, and A itself for op(A) = A^T.
            GemmPacking.PackB<T, TKernel>((T*)ctx.A, ctx.Lda, !ctx.TransA, col0, cols, panel0, panel1, p0, kc, ctx.Bp);
            return;
        }

        PackWidened(ref ctx, col0, cols, panel0, panel1, TKernel.NR, p0, kc, ctx.Bp);
    }

    /// <summary>
    /// Packs micro-panels panel0..panel1-1 of width <paramref name="width"/> (MR or NR) over op(A)'s rows
    /// first..first+count-1 and depth p0..p0+kc-1, converting to T. Both operands of a SYRK are op(A)'s rows, in
    /// the same layout: panel q holds kc groups of width values at <c>dst + q * width * kc</c>, zero-padded.
    /// </summary>
    private static void PackWidened<TIn, T>(ref Context<TIn, T> ctx, int first, int count, int panel0, int panel1, int width, int p0, int kc, T* dst)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int q = panel0; q < panel1; q++)
        {
            int valid = Math.Min(width, count - (q * width));
            int row = first + (q * width);
            T* d = dst + (q * width * kc);
            for (int p = 0; p < kc; p++, d += width)
            {
                if (ctx.TransA)
                {
                    // op(A) = A^T: the panel's values at one depth step are contiguous in row p0 + p of A.
                    Widen(ctx.A + ((p0 + p) * ctx.Lda) + row, d, valid);
                }
                else
                {
                    for (int i = 0; i < valid; i++)
                    {
                        d[i] = T.CreateTruncating(ctx.A[((row + i) * ctx.Lda) + p0 + p]);
                    }
                }

                for (int i = valid; i < width; i++)
                {
                    d[i] = T.Zero;
                }
            }
        }
    }

    /// <summary>dst[0..count) := src[0..count) converted exactly to T (4 floats at a time with AVX when widening float to double).</summary>
    private static void Widen<TIn, T>(TIn* src, T* dst, int count)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (typeof(TIn) == typeof(float) && typeof(T) == typeof(double) && Avx.IsSupported)
        {
            for (; i + 4 <= count; i += 4)
            {
                Avx.Store((double*)dst + i, Avx.ConvertToVector256Double(Sse.LoadVector128((float*)src + i)));
            }
        }

        for (; i < count; i++)
        {
            dst[i] = T.CreateTruncating(src[i]);
        }
    }

    /// <summary>The triangle of C := beta C (beta = 0 writes zeros without reading).</summary>
    private static void ScaleTriangle<T>(bool lower, T beta, T* c, nint ldc, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            int j0 = lower ? 0 : i;
            int j1 = lower ? i + 1 : n;
            GemmDriver.ScaleC(beta, c + (i * ldc) + j0, ldc, 1, j1 - j0);
        }
    }

    private struct Context<TIn, T>
        where TIn : unmanaged
        where T : unmanaged
    {
        public TIn* A;
        public nint Lda;
        public bool TransA;
        public bool Lower;
        public T* C;
        public nint Ldc;
        public int N;
        public int K;
        public T Alpha;
        public T Beta;
        public int Mc;
        public int Kc;
        public int Nc;
        public T* Bp;
        public SpinBarrier Barrier;
    }
}
