using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;
using StarNet.LinearAlgebra.Threading;

namespace StarNet.LinearAlgebra.Blas3;

/// <summary>
/// Blocked triangular solve with many right-hand sides (BLAS xTRSM). Diagonal blocks of <see cref="BlockSize"/>
/// are solved by the register-blocked <see cref="TriangularSolveKernel"/> (right-hand sides along the vector lanes,
/// accumulated in registers); the rest of B is updated by GEMM with K = <see cref="BlockSize"/>.
/// <code>
/// Left, op(A) lower (forward):          Right, op(A) upper (forward):
///   for each diagonal block k:            for each diagonal block k:
///     B_k := op(A)_kk^-1 B_k                B_k := B_k op(A)_kk^-1      (via a transposed chunk)
///     B_below -= op(A)_below,k B_k          B_right -= B_k op(A)_k,right
/// </code>
/// The other four cases run the same loops backwards.
/// </summary>
internal static unsafe class TriangularSolveDriver
{
    /// <summary>Order of the diagonal blocks (64 / 128 / 256 measured on potrf: 128 best, 64 close, 256 slower).</summary>
    public const int BlockSize = 128;

    /// <summary>The smallest last diagonal block; a shorter remainder joins the block before it (<see cref="BlockOrder"/>).</summary>
    private const int MinLastBlock = 16;

    /// <summary>Rows of B transposed at once (<see cref="BlockTranspose"/>) for a right-side diagonal solve.</summary>
    private const int RightChunk = 256;

    /// <summary>Right-side diagonal solves of fewer flops (rows x nb^2) run on the calling thread alone.</summary>
    private const double ParallelFlopThreshold = 2e6;

    public static void Solve<T>(Side side, bool lower, bool trans, bool unit, T alpha, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.IsEmpty)
        {
            return;
        }

        if (alpha != T.One)
        {
            for (int i = 0; i < b.Rows; i++)
            {
                Span<T> row = b.Row(i);
                if (alpha == T.Zero)
                {
                    row.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(row, alpha, row);
                }
            }

            if (alpha == T.Zero)
            {
                return;
            }
        }

        int n = a.Rows;
        if (side == Side.Left)
        {
            // op(A) X = B. op(A) is lower when exactly one of (lower, trans) holds in the "lower" sense.
            bool forward = lower != trans;
            for (int step = 0, nb; step < n; step += nb)
            {
                nb = BlockOrder(n, step);
                int k0 = forward ? step : n - step - nb;
                MatrixSpan<T> bk = b.Slice(k0, 0, nb, b.Cols);
                SolveLeftBlock(a, trans, unit, k0, forward, bk);
                if (forward && k0 + nb < n)
                {
                    OpBlock(a, trans, k0 + nb, k0, n - k0 - nb, nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, blk, op, bk, MatrixOp.None, T.One, b.Slice(k0 + nb, 0, n - k0 - nb, b.Cols));
                }
                else if (!forward && k0 > 0)
                {
                    OpBlock(a, trans, 0, k0, k0, nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, blk, op, bk, MatrixOp.None, T.One, b.Slice(0, 0, k0, b.Cols));
                }
            }
        }
        else
        {
            // X op(A) = B. Columns of X come out in order when op(A) is upper.
            bool forward = lower == trans;
            for (int step = 0, nb; step < n; step += nb)
            {
                nb = BlockOrder(n, step);
                int k0 = forward ? step : n - step - nb;
                MatrixSpan<T> bk = b.Slice(0, k0, b.Rows, nb);
                SolveRightBlock(a, trans, unit, k0, nb, forward, bk);
                if (forward && k0 + nb < n)
                {
                    OpBlock(a, trans, k0, k0 + nb, nb, n - k0 - nb, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, bk, MatrixOp.None, blk, op, T.One, b.Slice(0, k0 + nb, b.Rows, n - k0 - nb));
                }
                else if (!forward && k0 > 0)
                {
                    OpBlock(a, trans, k0, 0, nb, k0, out ReadOnlyMatrixSpan<T> blk, out MatrixOp op);
                    Blas.Gemm(-T.One, bk, MatrixOp.None, blk, op, T.One, b.Slice(0, 0, b.Rows, k0));
                }
            }
        }
    }

    /// <summary>
    /// The order of the diagonal block at <paramref name="step"/>: <see cref="BlockSize"/>, except that a remainder of
    /// fewer than <see cref="MinLastBlock"/> columns joins the block before it (n = 257, a StarNet layer's 256 inputs
    /// plus the bias, is solved as 128 + 129 instead of 128 + 128 + 1: the lone column cost a GEMM with one column and a
    /// diagonal solve, each a pass over all of B; 60000 x 257 float from the right 54 -> 45 ms).
    /// </summary>
    private static int BlockOrder(int n, int step)
    {
        int rest = n - step;
        return rest - BlockSize < MinLastBlock ? rest : BlockSize;
    }

    /// <summary>The block rows r0.., cols c0.. of op(A) as a view of A plus the op that produces it.</summary>
    private static void OpBlock<T>(ReadOnlyMatrixSpan<T> a, bool trans, int r0, int c0, int rows, int cols, out ReadOnlyMatrixSpan<T> block, out MatrixOp op)
        where T : unmanaged
    {
        if (trans)
        {
            block = a.Slice(c0, r0, cols, rows);
            op = MatrixOp.Transpose;
        }
        else
        {
            block = a.Slice(r0, c0, rows, cols);
            op = MatrixOp.None;
        }
    }

    /// <summary>
    /// op(A)_kk X = B for the diagonal block at k0 (B: its nb rows, all columns), by the register-blocked kernel on
    /// B in place. op(A)_kk is handed to the kernel as a forward lower triangle: strides of A for op, negated
    /// (indices reversed) for a backward solve.
    /// </summary>
    private static void SolveLeftBlock<T>(ReadOnlyMatrixSpan<T> a, bool trans, bool unit, int k0, bool forward, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nb = b.Rows;
        nint lda = a.Stride;
        fixed (T* ak = a.Row(k0))
        fixed (T* b0 = b.Row(0))
        {
            KernelCall(ak + k0, trans ? 1 : lda, trans ? lda : 1, nb, unit, forward, b0, b.Stride, b.Cols, LinearAlgebraSettings.ActiveInstructionSet);
        }
    }

    /// <summary>The kernel on a forward (or, with reversed indices, backward) lower triangle.</summary>
    private static void KernelCall<T>(T* l, nint lrs, nint lcs, int nb, bool unit, bool forward, T* b, nint ldb, int cols, InstructionSet isa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (forward)
        {
            TriangularSolveKernel.SolveLower(l, lrs, lcs, nb, unit, b, ldb, cols, isa);
        }
        else
        {
            TriangularSolveKernel.SolveLower(l + ((nb - 1) * (lrs + lcs)), -lrs, -lcs, nb, unit, b + ((nb - 1) * ldb), -ldb, cols, isa);
        }
    }

    /// <summary>
    /// X op(A)_kk = B for the diagonal block at k0 (B: all rows, nb columns). Chunks of rows are transposed into
    /// scratch so that the solve becomes op(A)_kk^T X^T = B^T, a left solve whose right-hand sides lie along the
    /// vector lanes. Rows are independent, so large solves split them over threads (in multiples of the transpose
    /// tile, each thread with its own scratch); every row is computed the same way whatever the split.
    /// </summary>
    private static void SolveRightBlock<T>(ReadOnlyMatrixSpan<T> a, bool trans, bool unit, int k0, int nb, bool forward, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint lda = a.Stride;
        fixed (T* ak = a.Row(k0))
        fixed (T* b0 = b.Row(0))
        {
            // (op(A)_kk)^T[i, k] = op(A)_kk[k, i]: the transposed strides; upper becomes lower, so the direction is kept.
            var ctx = new RightContext<T>
            {
                A = ak + k0, Lrs = trans ? lda : 1, Lcs = trans ? 1 : lda, Nb = nb, Unit = unit, Forward = forward,
                B = b0, Ldb = b.Stride, Rows = b.Rows, Isa = LinearAlgebraSettings.ActiveInstructionSet,
            };
            int threads = (double)b.Rows * nb * nb < ParallelFlopThreshold ? 1 : Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads);
            WorkerPool.Shared.Run(threads, &RightJob<T>, &ctx);
        }
    }

    private static void RightJob<T>(void* context, int thread, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref RightContext<T> ctx = ref Unsafe.AsRef<RightContext<T>>(context);
        const int Unit = 8;
        int units = (ctx.Rows + Unit - 1) / Unit;
        int r0 = Math.Min(ctx.Rows, (int)((long)units * thread / threads) * Unit);
        int r1 = Math.Min(ctx.Rows, (int)((long)units * (thread + 1) / threads) * Unit);
        int nb = ctx.Nb;
        T* scratch = ThreadScratch.Get<T>(ThreadScratch.Trsm, (nint)nb * (RightChunk + PadElements<T>()));
        for (int r = r0; r < r1; r += RightChunk)
        {
            int rows = Math.Min(RightChunk, r1 - r);
            int ld = PaddedStride<T>(rows);
            T* br = ctx.B + (r * ctx.Ldb);
            BlockTranspose.Transpose(br, ctx.Ldb, scratch, ld, rows, nb);
            KernelCall(ctx.A, ctx.Lrs, ctx.Lcs, nb, ctx.Unit, ctx.Forward, scratch, ld, rows, ctx.Isa);
            BlockTranspose.Transpose(scratch, ld, br, ctx.Ldb, nb, rows);
        }
    }

    /// <summary>Elements in one 64-byte line.</summary>
    private static int PadElements<T>()
        where T : unmanaged => 64 / Unsafe.SizeOf<T>();

    /// <summary>
    /// The row stride of the transposed chunk: its row length, plus one 64-byte line when that is a multiple of 256
    /// bytes. The kernel walks the scratch down its columns (one element per row for each right-hand side vector), and
    /// rows 256 bytes apart map to a few of L1's 64 sets (the same cure as the Cholesky leaf's copy).
    /// </summary>
    private static int PaddedStride<T>(int rows)
        where T : unmanaged =>
        (rows * Unsafe.SizeOf<T>()) % 256 == 0 ? rows + PadElements<T>() : rows;

    /// <summary>What the threads of a right-side diagonal solve share (the caller's instruction set: settings are per thread).</summary>
    private struct RightContext<T>
        where T : unmanaged
    {
        public T* A;
        public nint Lrs;
        public nint Lcs;
        public int Nb;
        public bool Unit;
        public bool Forward;
        public T* B;
        public nint Ldb;
        public int Rows;
        public InstructionSet Isa;
    }
}
