using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// A sparse sign embedding S (s x m): every column of S, i.e. every row of the sketched matrix, has
/// <see cref="NonzerosPerRow"/> entries +-1 in distinct rows chosen by a fixed hash of the row index, so S A (s x n)
/// costs <see cref="NonzerosPerRow"/> row additions per row of A, one pass over A. With s a small multiple of n the
/// sketch preserves the column space's geometry: the R factor of S A makes A R^-1 well conditioned whatever the
/// conditioning of A (Tropp, Yurtsever, Udell and Cevher 2019; Martinsson and Tropp 2020, section 9.2), which is what
/// the randomized CholeskyQR needs from it. The hash is fixed, so the sketch is deterministic; it runs on the calling
/// thread (splitting it was slower), and every entry is summed in row order.
/// </summary>
internal static unsafe class SparseSignSketch
{
    /// <summary>Nonzeros per column of S (Tropp et al. recommend 8).</summary>
    public const int NonzerosPerRow = 8;

    /// <summary>
    /// <paramref name="sa"/> (s x n) := S [A; d I] with the scaling 1/sqrt(<see cref="NonzerosPerRow"/>) that makes
    /// E[S^T S] = I, where A is m x n and the n rows d I (a ridge term's sqrt(lambda) I) are present when
    /// <paramref name="ridgeRows"/> is not zero. Requires s &gt;= <see cref="NonzerosPerRow"/>.
    /// </summary>
    public static void Apply<T>(ReadOnlyMatrixSpan<T> a, T ridgeRows, MatrixSpan<T> sa)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Cols;
        if (sa.Cols != n || sa.Rows < NonzerosPerRow)
        {
            throw new ArgumentException($"The sketch of a {a.Rows}x{n} matrix needs at least {NonzerosPerRow} rows and {n} columns; got {sa.Rows}x{sa.Cols}.", nameof(sa));
        }

        sa.Clear();
        fixed (T* ap = a.Row(0))
        fixed (T* sp = sa.Row(0))
        {
            var ctx = new Context<T> { A = ap, Lda = a.Stride, M = a.Rows, N = n, Ridge = ridgeRows, S = sp, Lds = sa.Stride, SketchRows = sa.Rows, Isa = LinearAlgebraSettings.ActiveInstructionSet };
            // One thread: split by columns over two threads the sketch of 60000 x 257 float took 19-21 ms instead of
            // 11-14 ms (every thread hashes every row and the halves of a row are only 512 bytes; 19:06 UTC, load 1).
            Sketch(ref ctx);
        }

        T scale = T.One / T.Sqrt(T.CreateTruncating(NonzerosPerRow));
        for (int i = 0; i < sa.Rows; i++)
        {
            TensorPrimitives.Multiply(sa.Row(i), scale, sa.Row(i));
        }
    }

    /// <summary>
    /// The rows of S A that row <paramref name="row"/> of A is added to (distinct) and the signs, as
    /// target * 2 + (sign bit), from a SplitMix64 stream seeded by the row index: the row is the high 32 bits scaled
    /// to [0, s) by a multiply-shift (no division), the sign the
    /// lowest bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Targets(long row, int s, Span<int> targets)
    {
        ulong state = 0x9E3779B97F4A7C15UL * (ulong)(row + 1);
        for (int j = 0; j < targets.Length; j++)
        {
            while (true)
            {
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                int t = (int)(((z >> 32) * (ulong)s) >> 32);
                bool fresh = true;
                for (int q = 0; q < j; q++)
                {
                    fresh &= targets[q] >> 1 != t;
                }

                if (fresh)
                {
                    targets[j] = (t << 1) | (int)(z & 1);
                    break;
                }
            }
        }
    }

    private static void Sketch<T>(ref Context<T> ctx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c0 = 0, c1 = ctx.N;
        Span<int> targets = stackalloc int[NonzerosPerRow];
        T** dst = stackalloc T*[NonzerosPerRow];
        T* signs = stackalloc T[NonzerosPerRow];

        // One pass over A: blocking the columns of S A so that the block stays in L2
        // was slower (60000 x 257 float, one thread: 64-column blocks 21 ms, 256 columns 15 ms, none 12 ms).
        int width = c1 - c0;
        for (int i = 0; i < ctx.M; i++)
        {
            Targets(i, ctx.SketchRows, targets);
            for (int q = 0; q < NonzerosPerRow; q++)
            {
                dst[q] = ctx.S + ((targets[q] >> 1) * ctx.Lds) + c0;
                signs[q] = (targets[q] & 1) == 0 ? T.One : -T.One;
            }

            T* src = ctx.A + (i * ctx.Lda) + c0;
            switch (ctx.Isa)
            {
                case InstructionSet.Vector512:
                    AddRow<T, Vector512<T>, Lanes512<T>>(src, dst, signs, width);
                    break;
                case InstructionSet.Vector256:
                    AddRow<T, Vector256<T>, Lanes256<T>>(src, dst, signs, width);
                    break;
                default:
                    AddRow<T, T, LanesScalar<T>>(src, dst, signs, width);
                    break;
            }
        }

        if (ctx.Ridge == T.Zero)
        {
            return;
        }

        // The ridge rows d e_j^T: one entry each.
        for (int j = c0; j < c1; j++)
        {
            Targets(ctx.M + j, ctx.SketchRows, targets);
            foreach (int t in targets)
            {
                ctx.S[((t >> 1) * ctx.Lds) + j] += (t & 1) == 0 ? ctx.Ridge : -ctx.Ridge;
            }
        }
    }

    /// <summary>
    /// dst[q] += signs[q] * src for the <see cref="NonzerosPerRow"/> target rows, the source loaded once per block of
    /// two vectors. The product with +-1 is exact, so each lane is one correctly rounded addition on every width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AddRow<T, TV, TL>(T* src, T** dst, T* signs, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : struct, IVectorLanes<T, TV>
    {
        int w = TL.Count;
        int c = 0;
        for (; c + (2 * w) <= width; c += 2 * w)
        {
            TV s0 = TL.Load(src + c), s1 = TL.Load(src + c + w);
            for (int q = 0; q < NonzerosPerRow; q++)
            {
                T* d = dst[q] + c;
                TV sign = TL.Create(signs[q]);
                TL.Store(TL.Fma(s0, sign, TL.Load(d)), d);
                TL.Store(TL.Fma(s1, sign, TL.Load(d + w)), d + w);
            }
        }

        for (; c < width; c++)
        {
            T v = src[c];
            for (int q = 0; q < NonzerosPerRow; q++)
            {
                dst[q][c] = TL.FmaScalar(v, signs[q], dst[q][c]);
            }
        }
    }

    private struct Context<T>
        where T : unmanaged
    {
        public T* A;
        public nint Lda;
        public int M;
        public int N;
        public T Ridge;
        public T* S;
        public nint Lds;
        public int SketchRows;
        public InstructionSet Isa;
    }
}
