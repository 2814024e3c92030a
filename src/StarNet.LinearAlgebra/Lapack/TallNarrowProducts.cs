using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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
/// Rows are taken in blocks that stay in L1 while every register tile of W passes over them. Every entry is
/// computed in the same order (rows ascending for W, columns of A ascending for C) whatever the tiling and the
/// thread count, so the results do not depend on the number of threads: W is split between threads by its rows,
/// C by row blocks.
/// </summary>
internal static unsafe class TallNarrowProducts
{
    /// <summary>Rows per block of the W product (a block of A and B stays in L1 while the tiles of W pass over it).</summary>
    private const int RowBlock = 64;

    /// <summary>Rows per thread's share of the C update, at least.</summary>
    private const int MinRowsPerThread = 2048;

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
            var ctx = new Context<T>
            {
                A = pa, Lda = a.Stride, B = pb, Ldb = b.Stride, W = pw, Ldw = w.Stride, M = m, K = k, N = n,
                UseVectors = VectorOps.UseVectors,
            };
            WorkerPool.Shared.Run(Math.Min(threads, k / 4), &TransposeProductJob<T>, &ctx);
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
            var ctx = new Context<T>
            {
                A = pa, Lda = a.Stride, B = pc, Ldb = c.Stride, W = pw, Ldw = w.Stride, M = m, K = k, N = n,
                UseVectors = VectorOps.UseVectors,
            };
            WorkerPool.Shared.Run(threads, &SubtractProductJob<T>, &ctx);
        }
    }

    private static void TransposeProductJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref Context<T> c = ref Unsafe.AsRef<Context<T>>(context);

        // Rows of W in groups of four, split between the threads.
        int groups = (c.K + 3) / 4;
        int i0 = Math.Min(c.K, 4 * (int)((long)groups * thread / threads)), i1 = Math.Min(c.K, 4 * (int)((long)groups * (thread + 1) / threads));
        int aBytes = c.K * sizeof(T), bBytes = c.N * sizeof(T);
        for (int r0 = 0; r0 < c.M; r0 += RowBlock)
        {
            int rows = Math.Min(RowBlock, c.M - r0);
            T* a = c.A + (r0 * c.Lda), b = c.B + (r0 * c.Ldb);

            // The next block's rows are requested now and arrive while this block is multiplied.
            for (int r = RowBlock; r < Math.Min(2 * RowBlock, c.M - r0); r++)
            {
                StridedRows.Prefetch(a + (r * c.Lda), aBytes);
                StridedRows.Prefetch(b + (r * c.Ldb), bBytes);
            }

            for (int i = i0; i < i1; i += 4)
            {
                TransposeProductRows(a, c.Lda, b, c.Ldb, c.W + (i * c.Ldw), c.Ldw, rows, i, Math.Min(4, i1 - i), c.N, c.UseVectors);
            }
        }
    }

    /// <summary>W(0:ni, :) += A(:, i:i+ni)^T B over <paramref name="rows"/> rows (ni at most 4; w points at W's row i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeProductRows<T>(T* a, nint lda, T* b, nint ldb, T* w, nint ldw, int rows, int i, int ni, int n, bool useVectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        int j = 0;
        if (useVectors && ni == 4)
        {
            T* w0 = w, w1 = w + ldw, w2 = w + (2 * ldw), w3 = w + (3 * ldw);
            for (; j + (2 * width) <= n; j += 2 * width)
            {
                Vector256<T> c00 = Vector256.Load(w0 + j), c01 = Vector256.Load(w0 + j + width);
                Vector256<T> c10 = Vector256.Load(w1 + j), c11 = Vector256.Load(w1 + j + width);
                Vector256<T> c20 = Vector256.Load(w2 + j), c21 = Vector256.Load(w2 + j + width);
                Vector256<T> c30 = Vector256.Load(w3 + j), c31 = Vector256.Load(w3 + j + width);
                T* pa = a + i, pb = b + j;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    Vector256<T> b0 = Vector256.Load(pb), b1 = Vector256.Load(pb + width);
                    Vector256<T> x = Vector256.Create(pa[0]);
                    c00 = VectorOps.Fma(x, b0, c00);
                    c01 = VectorOps.Fma(x, b1, c01);
                    x = Vector256.Create(pa[1]);
                    c10 = VectorOps.Fma(x, b0, c10);
                    c11 = VectorOps.Fma(x, b1, c11);
                    x = Vector256.Create(pa[2]);
                    c20 = VectorOps.Fma(x, b0, c20);
                    c21 = VectorOps.Fma(x, b1, c21);
                    x = Vector256.Create(pa[3]);
                    c30 = VectorOps.Fma(x, b0, c30);
                    c31 = VectorOps.Fma(x, b1, c31);
                }

                StoreTile(c00, c01, c10, c11, c20, c21, c30, c31, w0 + j, w1 + j, w2 + j, w3 + j);
            }
        }

        if (useVectors)
        {
            // The remaining whole vectors (and rows of W past a group of four), one row of W x one vector at a time.
            for (int ii = 0; ii < ni; ii++)
            {
                T* wi = w + (ii * ldw);
                for (int jj = j; jj + width <= n; jj += width)
                {
                    Vector256<T> acc = Vector256.Load(wi + jj);
                    T* pa = a + i + ii, pb = b + jj;
                    for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                    {
                        acc = VectorOps.Fma(Vector256.Create(*pa), Vector256.Load(pb), acc);
                    }

                    acc.Store(wi + jj);
                }
            }

            j = n / width * width;
        }

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
        SubtractProductRows(c.A + (r0 * c.Lda), c.Lda, c.W, c.Ldw, c.B + (r0 * c.Ldb), c.Ldb, r1 - r0, c.K, c.N, c.UseVectors);
    }

    /// <summary>C -= A W over <paramref name="rows"/> rows; each entry subtracts its k terms in column order of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractProductRows<T>(T* a, nint lda, T* w, nint ldw, T* c, nint ldc, int rows, int k, int n, bool useVectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        int vn = useVectors ? n / width * width : 0;
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
            for (; j + (2 * width) <= vn; j += 2 * width)
            {
                Vector256<T> x00 = Vector256.Load(c0 + j), x01 = Vector256.Load(c0 + j + width);
                Vector256<T> x10 = Vector256.Load(c1 + j), x11 = Vector256.Load(c1 + j + width);
                Vector256<T> x20 = Vector256.Load(c2 + j), x21 = Vector256.Load(c2 + j + width);
                Vector256<T> x30 = Vector256.Load(c3 + j), x31 = Vector256.Load(c3 + j + width);
                T* pw = w + j;
                for (int i = 0; i < k; i++, pw += ldw)
                {
                    Vector256<T> w0 = Vector256.Load(pw), w1 = Vector256.Load(pw + width);
                    Vector256<T> y = Vector256.Create(-a0[i]);
                    x00 = VectorOps.Fma(y, w0, x00);
                    x01 = VectorOps.Fma(y, w1, x01);
                    y = Vector256.Create(-a1[i]);
                    x10 = VectorOps.Fma(y, w0, x10);
                    x11 = VectorOps.Fma(y, w1, x11);
                    y = Vector256.Create(-a2[i]);
                    x20 = VectorOps.Fma(y, w0, x20);
                    x21 = VectorOps.Fma(y, w1, x21);
                    y = Vector256.Create(-a3[i]);
                    x30 = VectorOps.Fma(y, w0, x30);
                    x31 = VectorOps.Fma(y, w1, x31);
                }

                StoreTile(x00, x01, x10, x11, x20, x21, x30, x31, c0 + j, c1 + j, c2 + j, c3 + j);
            }

            SubtractProductTail(a0, w, c0, k, ldw, j, vn, n);
            SubtractProductTail(a1, w, c1, k, ldw, j, vn, n);
            SubtractProductTail(a2, w, c2, k, ldw, j, vn, n);
            SubtractProductTail(a3, w, c3, k, ldw, j, vn, n);
        }

        for (; r < rows; r++)
        {
            SubtractProductTail(a + (r * lda), w, c + (r * ldc), k, ldw, 0, vn, n);
        }
    }

    /// <summary>Stores a register tile of four rows x two vectors (row q at pq, its second vector one vector further).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile<T>(Vector256<T> x00, Vector256<T> x01, Vector256<T> x10, Vector256<T> x11, Vector256<T> x20, Vector256<T> x21, Vector256<T> x30, Vector256<T> x31, T* p0, T* p1, T* p2, T* p3)
        where T : unmanaged
    {
        int width = Vector256<T>.Count;
        x00.Store(p0);
        x01.Store(p0 + width);
        x10.Store(p1);
        x11.Store(p1 + width);
        x20.Store(p2);
        x21.Store(p2 + width);
        x30.Store(p3);
        x31.Store(p3 + width);
    }

    /// <summary>One row of C -= A W from column j on: whole vectors up to vn, then scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractProductTail<T>(T* ar, T* w, T* cr, int k, nint ldw, int j, int vn, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        for (; j + width <= vn; j += width)
        {
            Vector256<T> x = Vector256.Load(cr + j);
            T* pw = w + j;
            for (int i = 0; i < k; i++, pw += ldw)
            {
                x = VectorOps.Fma(Vector256.Create(-ar[i]), Vector256.Load(pw), x);
            }

            x.Store(cr + j);
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
        public bool UseVectors;
    }
}
