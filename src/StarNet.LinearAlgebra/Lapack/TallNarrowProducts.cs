using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The two products of a narrow block reflector applied to a narrow block of a very tall panel, streamed down the
/// rows without packing (they replace the packed GEMMs at the bottom of the recursive panel QR, where one dimension
/// is the panel height and the others are a few vectors wide, and packing and the kernel's tile prologues cost more
/// than the flops):
/// <code>
///   W += A^T B     A m x k, B m x n, W k x n       (sum over the rows; a tile of 4 rows of W x 2 vectors in registers)
///   C -= A W       A m x k, W k x n, C m x n       (4 rows of C x 2 vectors in registers, W from L1)
/// </code>
/// With 512-bit vectors (32 registers) both tiles are four vectors wide where the columns allow.
/// </summary>
/// <remarks>
/// Rows are taken in blocks that stay in L1 while every register tile of W passes over them. Every entry is
/// computed in the same order (rows ascending for W, columns of A ascending for C) whatever the tiling and the
/// thread count, so the results do not depend on the number of threads: W is split between threads by its rows,
/// C by row blocks.
/// </remarks>
internal static unsafe class TallNarrowProducts
{
    /// <summary>Rows per block of the W product (a block of A and B stays in L1 while the tiles of W pass over it).</summary>
    private const int RowBlock = 64;

    /// <summary>
    /// Rows per thread's share of the C update, at least (the W product splits from twice this). 1024 since session 12:
    /// with 2048, the 3072-row panels of 3072 x 257 ran their streamed products on one thread (docs/lapack.md,
    /// "Tall-skinny, session 12").
    /// </summary>
    private const int MinRowsPerThread = 1024;

    /// <summary>Whole vectors of B per thread, at least, for the W product to split B by columns instead of W by rows.</summary>
    private const int MinVectorsPerThread = 4;

    /// <summary>W += A^T B (A m x k, B m x n, W k x n).</summary>
    public static void AddTransposeProduct<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, k = a.Cols, n = b.Cols;
        if (m == 0 || k == 0 || n == 0)
        {
            return;
        }

        int threads = m >= 2 * MinRowsPerThread && k >= 8 ? Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads) : 1;
        fixed (T* pa = &Guard.Ref(a), pb = &Guard.Ref(b), pw = &Guard.Ref(w))
        {
            var ctx = Context<T>.For(pa, a.Stride, pb, b.Stride, pw, w.Stride, m, k, n);

            // Wide enough B is split between the threads by its columns (each reads its own part of B, and all of A,
            // which is the narrower operand); otherwise by the rows of W (each thread reads all of B). Every entry of
            // W is summed in the same order either way.
            int vectors = ctx.Wide / RowVectorLanes.Count<T>(ctx.Isa);
            if (threads > 1 && vectors >= MinVectorsPerThread * threads)
            {
                WorkerPool.Shared.Run(threads, &TransposeProductColumnsJob<T>, &ctx);
            }
            else
            {
                WorkerPool.Shared.Run(Math.Min(threads, k / 4), &TransposeProductJob<T>, &ctx);
            }
        }
    }

    /// <summary>C -= A W (A m x k, W k x n, C m x n).</summary>
    public static void SubtractProduct<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> w, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, k = a.Cols, n = c.Cols;
        if (m == 0 || k == 0 || n == 0)
        {
            return;
        }

        int threads = Math.Min(Math.Max(1, m / MinRowsPerThread), Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads));
        fixed (T* pa = &Guard.Ref(a), pw = &Guard.Ref(w), pc = &Guard.Ref(c))
        {
            var ctx = Context<T>.For(pa, a.Stride, pc, c.Stride, pw, w.Stride, m, k, n);
            WorkerPool.Shared.Run(threads, &SubtractProductJob<T>, &ctx);
        }
    }

    private static void TransposeProductJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Context<T> c = ref Unsafe.AsRef<Context<T>>(context);

        // Rows of W in groups of four, split between the threads; every column.
        int groups = (c.K + 3) / 4;
        int i0 = Math.Min(c.K, 4 * (int)((long)groups * thread / threads)), i1 = Math.Min(c.K, 4 * (int)((long)groups * (thread + 1) / threads));
        AddTransposeBlock(ref c, c.W, c.Ldw, i0, i1, 0, c.Wide, thin: true);
    }

    /// <summary>
    /// W += A^T B with B's whole vectors split between the threads (thread t takes vectors
    /// [t V / threads, (t + 1) V / threads) of V) and the columns past them on the last thread; every thread takes all
    /// rows of W. Each thread accumulates its columns of W in its own scratch and writes them back once: the tiles
    /// store W after every row block, and two threads storing to the cache line where their columns meet would pass
    /// it back and forth (W's rows are not aligned to cache lines).
    /// </summary>
    private static void TransposeProductColumnsJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Context<T> c = ref Unsafe.AsRef<Context<T>>(context);
        int width = RowVectorLanes.Count<T>(c.Isa), vectors = c.Wide / width;
        int j0 = width * (int)((long)vectors * thread / threads), j1 = width * (int)((long)vectors * (thread + 1) / threads);
        bool last = thread == threads - 1;
        int cols = (last ? c.N : j1) - j0;
        MatrixSpan<T> own = Workspace<T>.Get(WorkspaceSlot.ProductPartial, c.K, cols);
        fixed (T* w = &Guard.Ref(own))
        {
            nint ldw = own.Stride;
            for (int i = 0; i < c.K; i++)
            {
                new ReadOnlySpan<T>(c.W + (i * c.Ldw) + j0, cols).CopyTo(new Span<T>(w + (i * ldw), cols));
            }

            AddTransposeBlock(ref c, w, ldw, 0, c.K, j0, j1, thin: last);
            for (int i = 0; i < c.K; i++)
            {
                new ReadOnlySpan<T>(w + (i * ldw), cols).CopyTo(new Span<T>(c.W + (i * c.Ldw) + j0, cols));
            }
        }
    }

    /// <summary>
    /// Rows i0..i1 of W += A^T B for B's whole-vector columns j0..j1 and, when <paramref name="thin"/>, the columns past
    /// the whole vectors; <paramref name="w"/> holds W's column j0 (W itself, or a thread's scratch copy of its columns).
    /// Rows of A and B are taken in blocks of <see cref="RowBlock"/> that stay in cache while every tile of W passes over
    /// them, and the next block is prefetched meanwhile.
    /// </summary>
    private static void AddTransposeBlock<T>(ref Context<T> c, T* w, nint ldw, int i0, int i1, int j0, int j1, bool thin)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        thin &= c.Wide < c.N;
        int aBytes = c.K * sizeof(T), bBytes = ((thin ? c.N : j1) - j0) * sizeof(T);
        for (int r0 = 0; r0 < c.M; r0 += RowBlock)
        {
            int rows = Math.Min(RowBlock, c.M - r0);
            T* a = c.A + (r0 * c.Lda), b = c.B + (r0 * c.Ldb) + j0;

            // The next block's rows are requested now and arrive while this block is multiplied.
            for (int r = RowBlock; r < Math.Min(2 * RowBlock, c.M - r0); r++)
            {
                StridedRows.Prefetch(a + (r * c.Lda), aBytes);
                StridedRows.Prefetch(b + (r * c.Ldb), bBytes);
            }

            for (int i = i0; i < i1 && j1 > j0; i += 4)
            {
                TransposeProductRows(a, c.Lda, b, c.Ldb, w + (i * ldw), ldw, rows, i, Math.Min(4, i1 - i), j1 - j0, c.Isa);
            }

            if (thin)
            {
                int t = c.Wide - j0;
                switch (c.ThinIsa)
                {
                    case InstructionSet.Vector512:
                        TallThinProducts.AddTransposeProduct<T, Lanes512<T>, Vector512<T>>(a, c.Lda, b + t, c.Ldb, w + t, ldw, rows, i0, i1, c.N - c.Wide);
                        break;
                    default:
                        TallThinProducts.AddTransposeProduct<T, Lanes256<T>, Vector256<T>>(a, c.Lda, b + t, c.Ldb, w + t, ldw, rows, i0, i1, c.N - c.Wide);
                        break;
                }
            }
        }
    }

    /// <summary>W(0:ni, :) += A(:, i:i+ni)^T B over <paramref name="rows"/> rows (ni at most 4; w points at W's row i).</summary>
    private static void TransposeProductRows<T>(T* a, nint lda, T* b, nint ldb, T* w, nint ldw, int rows, int i, int ni, int n, InstructionSet isa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (isa)
        {
            case InstructionSet.Vector512:
                TransposeProductRows<T, Lanes512<T>, Vector512<T>>(a, lda, b, ldb, w, ldw, rows, i, ni, n);
                break;
            case InstructionSet.Vector256:
                TransposeProductRows<T, Lanes256<T>, Vector256<T>>(a, lda, b, ldb, w, ldw, rows, i, ni, n);
                break;
            default:
                TransposeProductRows<T, LanesScalar<T>, T>(a, lda, b, ldb, w, ldw, rows, i, ni, n);
                break;
        }
    }

    /// <summary>
    /// <see cref="TransposeProductRows{T}(T*, nint, T*, nint, T*, nint, int, int, int, int, InstructionSet)"/> on
    /// vectors of TW: tiles of four rows of W x two vectors, then one row x one vector, then (vector widths only) the
    /// scalar columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeProductRows<T, TW, TV>(T* a, nint lda, T* b, nint ldb, T* w, nint ldw, int rows, int i, int ni, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        int j = 0;
        if (ni == 4)
        {
            T* w0 = w, w1 = w + ldw, w2 = w + (2 * ldw), w3 = w + (3 * ldw);

            // With 32 registers (512-bit vectors) tiles of four rows x four vectors: 16 accumulators hide the FMA
            // latency that 8 leave exposed, and each row's four broadcasts serve 16 FMAs instead of 8.
            for (; Wide4<T, TV>() && j + (4 * width) <= n; j += 4 * width)
            {
                TV c00 = TW.Load(w0 + j), c01 = TW.Load(w0 + j + width), c02 = TW.Load(w0 + j + (2 * width)), c03 = TW.Load(w0 + j + (3 * width));
                TV c10 = TW.Load(w1 + j), c11 = TW.Load(w1 + j + width), c12 = TW.Load(w1 + j + (2 * width)), c13 = TW.Load(w1 + j + (3 * width));
                TV c20 = TW.Load(w2 + j), c21 = TW.Load(w2 + j + width), c22 = TW.Load(w2 + j + (2 * width)), c23 = TW.Load(w2 + j + (3 * width));
                TV c30 = TW.Load(w3 + j), c31 = TW.Load(w3 + j + width), c32 = TW.Load(w3 + j + (2 * width)), c33 = TW.Load(w3 + j + (3 * width));
                T* pa = a + i, pb = b + j;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    TV y0 = TW.Create(pa[0]), y1 = TW.Create(pa[1]), y2 = TW.Create(pa[2]), y3 = TW.Create(pa[3]);
                    OuterProductTile.AddOuter<T, TW, TV>(y0, y1, y2, y3, TW.Load(pb), TW.Load(pb + width), ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31);
                    OuterProductTile.AddOuter<T, TW, TV>(y0, y1, y2, y3, TW.Load(pb + (2 * width)), TW.Load(pb + (3 * width)), ref c02, ref c03, ref c12, ref c13, ref c22, ref c23, ref c32, ref c33);
                }

                OuterProductTile.Store<T, TW, TV>(c00, c01, c10, c11, c20, c21, c30, c31, w0 + j, w1 + j, w2 + j, w3 + j);
                OuterProductTile.Store<T, TW, TV>(c02, c03, c12, c13, c22, c23, c32, c33, w0 + j + (2 * width), w1 + j + (2 * width), w2 + j + (2 * width), w3 + j + (2 * width));
            }

            for (; j + (2 * width) <= n; j += 2 * width)
            {
                TV c00 = TW.Load(w0 + j), c01 = TW.Load(w0 + j + width);
                TV c10 = TW.Load(w1 + j), c11 = TW.Load(w1 + j + width);
                TV c20 = TW.Load(w2 + j), c21 = TW.Load(w2 + j + width);
                TV c30 = TW.Load(w3 + j), c31 = TW.Load(w3 + j + width);
                T* pa = a + i, pb = b + j;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    OuterProductTile.AddOuter<T, TW, TV>(TW.Broadcast(pa), TW.Broadcast(pa + 1), TW.Broadcast(pa + 2), TW.Broadcast(pa + 3), TW.Load(pb), TW.Load(pb + width), ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31);
                }

                OuterProductTile.Store<T, TW, TV>(c00, c01, c10, c11, c20, c21, c30, c31, w0 + j, w1 + j, w2 + j, w3 + j);
            }
        }

        // The remaining whole vectors (and rows of W past a group of four), one row of W x one vector at a time.
        for (int ii = 0; ii < ni; ii++)
        {
            T* wi = w + (ii * ldw);
            for (int jj = j; jj + width <= n; jj += width)
            {
                TV acc = TW.Load(wi + jj);
                T* pa = a + i + ii, pb = b + jj;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    acc = TW.Fma(TW.Create(*pa), TW.Load(pb), acc);
                }

                TW.Store(acc, wi + jj);
            }
        }

        j = n / width * width;
        for (int ii = 0; ii < ni; ii++)
        {
            T* wi = w + (ii * ldw);
            for (int jj = j; jj < n; jj++)
            {
                T acc = wi[jj];
                T* pa = a + i + ii, pb = b + jj;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    acc += *pa * *pb;
                }

                wi[jj] = acc;
            }
        }
    }

    private static void SubtractProductJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Context<T> c = ref Unsafe.AsRef<Context<T>>(context);
        int r0 = (int)((long)c.M * thread / threads), r1 = (int)((long)c.M * (thread + 1) / threads);
        T* a = c.A + (r0 * c.Lda), cc = c.B + (r0 * c.Ldb);
        if (c.Wide > 0)
        {
            SubtractProductRows(a, c.Lda, c.W, c.Ldw, cc, c.Ldb, r1 - r0, c.K, c.Wide, c.Isa);
        }

        int wide = c.Wide;
        if (wide == c.N)
        {
            return;
        }

        if (c.ThinIsa == InstructionSet.Vector512)
        {
            TallThinProducts.SubtractProduct<T, Lanes512<T>, Vector512<T>>(a, c.Lda, c.W + wide, c.Ldw, cc + wide, c.Ldb, r1 - r0, c.K, c.N - wide);
        }
        else
        {
            TallThinProducts.SubtractProduct<T, Lanes256<T>, Vector256<T>>(a, c.Lda, c.W + wide, c.Ldw, cc + wide, c.Ldb, r1 - r0, c.K, c.N - wide);
        }
    }

    /// <summary>C -= A W over <paramref name="rows"/> rows; each entry subtracts its k terms in column order of A.</summary>
    private static void SubtractProductRows<T>(T* a, nint lda, T* w, nint ldw, T* c, nint ldc, int rows, int k, int n, InstructionSet isa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (isa)
        {
            case InstructionSet.Vector512:
                SubtractProductRows<T, Lanes512<T>, Vector512<T>>(a, lda, w, ldw, c, ldc, rows, k, n);
                break;
            case InstructionSet.Vector256:
                SubtractProductRows<T, Lanes256<T>, Vector256<T>>(a, lda, w, ldw, c, ldc, rows, k, n);
                break;
            default:
                SubtractProductRows<T, LanesScalar<T>, T>(a, lda, w, ldw, c, ldc, rows, k, n);
                break;
        }
    }

    /// <summary>
    /// <see cref="SubtractProductRows{T}(T*, nint, T*, nint, T*, nint, int, int, int, InstructionSet)"/> on vectors
    /// of TW: tiles of four rows of C x two vectors with W from L1, then each row's remaining vectors and scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractProductRows<T, TW, TV>(T* a, nint lda, T* w, nint ldw, T* c, nint ldc, int rows, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        int vn = n / width * width;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            T* a0 = a + (r * lda), a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            T* c0 = c + (r * ldc), c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            if (r + StridedRows.Distance + 4 <= rows)
            {
                for (int q = 0; q < 4; q++)
                {
                    StridedRows.Prefetch(a + ((r + StridedRows.Distance + q) * lda), k * sizeof(T));
                    StridedRows.Prefetch(c + ((r + StridedRows.Distance + q) * ldc), n * sizeof(T));
                }
            }

            int j = 0;
            for (; Wide4<T, TV>() && j + (4 * width) <= vn; j += 4 * width)
            {
                TV x00 = TW.Load(c0 + j), x01 = TW.Load(c0 + j + width), x02 = TW.Load(c0 + j + (2 * width)), x03 = TW.Load(c0 + j + (3 * width));
                TV x10 = TW.Load(c1 + j), x11 = TW.Load(c1 + j + width), x12 = TW.Load(c1 + j + (2 * width)), x13 = TW.Load(c1 + j + (3 * width));
                TV x20 = TW.Load(c2 + j), x21 = TW.Load(c2 + j + width), x22 = TW.Load(c2 + j + (2 * width)), x23 = TW.Load(c2 + j + (3 * width));
                TV x30 = TW.Load(c3 + j), x31 = TW.Load(c3 + j + width), x32 = TW.Load(c3 + j + (2 * width)), x33 = TW.Load(c3 + j + (3 * width));
                T* pw = w + j;
                for (int i = 0; i < k; i++, pw += ldw)
                {
                    TV y0 = TW.Broadcast(a0 + i), y1 = TW.Broadcast(a1 + i), y2 = TW.Broadcast(a2 + i), y3 = TW.Broadcast(a3 + i);
                    OuterProductTile.SubtractOuter<T, TW, TV>(y0, y1, y2, y3, TW.Load(pw), TW.Load(pw + width), ref x00, ref x01, ref x10, ref x11, ref x20, ref x21, ref x30, ref x31);
                    OuterProductTile.SubtractOuter<T, TW, TV>(y0, y1, y2, y3, TW.Load(pw + (2 * width)), TW.Load(pw + (3 * width)), ref x02, ref x03, ref x12, ref x13, ref x22, ref x23, ref x32, ref x33);
                }

                OuterProductTile.Store<T, TW, TV>(x00, x01, x10, x11, x20, x21, x30, x31, c0 + j, c1 + j, c2 + j, c3 + j);
                OuterProductTile.Store<T, TW, TV>(x02, x03, x12, x13, x22, x23, x32, x33, c0 + j + (2 * width), c1 + j + (2 * width), c2 + j + (2 * width), c3 + j + (2 * width));
            }

            for (; j + (2 * width) <= vn; j += 2 * width)
            {
                TV x00 = TW.Load(c0 + j), x01 = TW.Load(c0 + j + width);
                TV x10 = TW.Load(c1 + j), x11 = TW.Load(c1 + j + width);
                TV x20 = TW.Load(c2 + j), x21 = TW.Load(c2 + j + width);
                TV x30 = TW.Load(c3 + j), x31 = TW.Load(c3 + j + width);
                T* pw = w + j;
                for (int i = 0; i < k; i++, pw += ldw)
                {
                    OuterProductTile.SubtractOuter<T, TW, TV>(TW.Broadcast(a0 + i), TW.Broadcast(a1 + i), TW.Broadcast(a2 + i), TW.Broadcast(a3 + i), TW.Load(pw), TW.Load(pw + width), ref x00, ref x01, ref x10, ref x11, ref x20, ref x21, ref x30, ref x31);
                }

                OuterProductTile.Store<T, TW, TV>(x00, x01, x10, x11, x20, x21, x30, x31, c0 + j, c1 + j, c2 + j, c3 + j);
            }

            SubtractProductTail<T, TW, TV>(a0, w, c0, k, ldw, j, vn, n);
            SubtractProductTail<T, TW, TV>(a1, w, c1, k, ldw, j, vn, n);
            SubtractProductTail<T, TW, TV>(a2, w, c2, k, ldw, j, vn, n);
            SubtractProductTail<T, TW, TV>(a3, w, c3, k, ldw, j, vn, n);
        }

        for (; r < rows; r++)
        {
            SubtractProductTail<T, TW, TV>(a + (r * lda), w, c + (r * ldc), k, ldw, 0, vn, n);
        }
    }

    /// <summary>One row of C -= A W from column j on: whole vectors up to vn, then scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractProductTail<T, TW, TV>(T* ar, T* w, T* cr, int k, nint ldw, int j, int vn, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        for (; j + width <= vn; j += width)
        {
            TV x = TW.Load(cr + j);
            T* pw = w + j;
            for (int i = 0; i < k; i++, pw += ldw)
            {
                x = TW.Fma(TW.Create(-ar[i]), TW.Load(pw), x);
            }

            TW.Store(x, cr + j);
        }

        for (; j < n; j++)
        {
            T x = cr[j];
            T* pw = w + j;
            for (int i = 0; i < k; i++, pw += ldw)
            {
                x -= ar[i] * *pw;
            }

            cr[j] = x;
        }
    }

    /// <summary>Whether TV is a 512-bit vector (32 registers: room for the four-vector tiles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Wide4<T, TV>()
        where T : unmanaged
        where TV : struct => typeof(TV) == typeof(Vector512<T>);

    /// <summary>The operands of one streamed product, kept on the caller's stack for the workers.</summary>
    private struct Context<T>
        where T : unmanaged
    {
        public T* A;
        public nint Lda;
        public T* B;
        public nint Ldb;
        public T* W;
        public nint Ldw;
        public int M;
        public int K;
        public int N;

        /// <summary>Columns 0..Wide-1 of B and C go through the register tiles along n on <see cref="Isa"/> vectors.</summary>
        public int Wide;
        public InstructionSet Isa;

        /// <summary>Columns Wide..N-1 take <see cref="TallThinProducts"/> on <see cref="ThinIsa"/> vectors (along k).</summary>
        public InstructionSet ThinIsa;

        /// <summary>
        /// Splits the n columns: a B or C thinner than one 256-bit vector takes <see cref="TallThinProducts"/>
        /// (vectorised along k) whole; a wider one takes the register tiles along n for its whole vectors and the thin
        /// form for the columns past them (at most 15), which the tiles would do one scalar dependent chain of k
        /// terms per entry at a time (a 20000 x 100 float QR spent 20% more time with its 36-column trailing
        /// updates streamed than packed because of their 4 scalar columns). Without vectors along k (k too short,
        /// or no vector instructions) everything stays on the tiles.
        /// </summary>
        public static Context<T> For(T* a, nint lda, T* b, nint ldb, T* w, nint ldw, int m, int k, int n)
        {
            InstructionSet thinIsa = k <= TallThinProducts.MaxK ? RowVectorLanes.For<T>(k) : InstructionSet.Scalar;
            InstructionSet isa = RowVectorLanes.For<T>(n, group: 2);
            int count = RowVectorLanes.Count<T>(isa);
            int wide = thinIsa == InstructionSet.Scalar ? n : n < Vector256<T>.Count ? 0 : n / count * count;

            return new Context<T>
            {
                A = a, Lda = lda, B = b, Ldb = ldb, W = w, Ldw = ldw, M = m, K = k, N = n, Wide = wide, Isa = isa, ThinIsa = thinIsa,
            };
        }
    }
}
