using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The Cholesky leaf (dpotf2) for small orders, on a zero-padded copy in scratch: the triangle is copied as an upper
/// factor U (the lower one transposed, L = U^T), so that rows of U are contiguous and run along the vector lanes, and
/// factored left-looking four rows at a time:
/// <code>
///   rows i0..i0+3, every column strip j &gt;= i0:  S[i0 + r, strip] -= sum_{k &lt; i0} U[k, i0 + r] U[k, strip]
///                                                (4 rows of accumulators in registers, one load of U[k] per 4 FMAs)
///   then row by row (r = 0..3): check the pivot S[i, i], U[i, i] := sqrt, U[i, i+1..] := S[i, i+1..] / U[i, i],
///                               and the later rows of the block take their update from row i (AXPY)
/// </code>
/// Every pivot is a_ii minus the squares in increasing k, and the first pivot that is not positive (or not finite)
/// stops the factorization with its index and value, as the row-by-row kernel does. The padding (columns up to a
/// multiple of the vector width, rows up to a multiple of four) is zero and stays zero, so the vector loops need no
/// scalar tails. The copy back writes only the <c>uplo</c> triangle.
/// </summary>
internal static unsafe class CholeskyLeafKernel
{
    /// <summary>Thread scratch slot of the padded copy (slot 0 is used by no other kernel).</summary>
    private const int ScratchSlot = 0;

    /// <summary>Factors the n x n leaf in place; returns -1 or the index of the first pivot that was not positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Factor<T>(MatrixSpan<T> a, Triangle uplo, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        int w = isa >= InstructionSet.Vector512 ? Vector512<T>.Count : isa >= InstructionSet.Vector256 ? Vector256<T>.Count : 1;
        int ld = (n + w - 1) / w * w;
        int rows = (n + 3) & ~3;
        T* s = ThreadScratch.Get<T>(ScratchSlot, (nint)ld * rows);
        new Span<T>(s, ld * rows).Clear();
        bool lower = uplo == Triangle.Lower;
        if (lower)
        {
            CopyLower(a, s, ld, toScratch: true);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                a.Row(i)[i..].CopyTo(new Span<T>(s + (i * ld) + i, n - i));
            }
        }

        int info = isa >= InstructionSet.Vector512 ? Run<T, Vector512<T>, Lanes512<T>>(s, ld, n, out pivotValue)
            : isa >= InstructionSet.Vector256 ? Run<T, Vector256<T>, Lanes256<T>>(s, ld, n, out pivotValue)
            : Run<T, T, LanesScalar<T>>(s, ld, n, out pivotValue);
        if (lower)
        {
            CopyLower(a, s, ld, toScratch: false);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                new Span<T>(s + (i * ld) + i, n - i).CopyTo(a.Row(i)[i..]);
            }
        }

        return info;
    }

    /// <summary>
    /// The lower triangle of A to or from the upper triangle of the scratch copy (transposed): in bands of eight rows of
    /// A, the part left of the band's diagonal block by <see cref="BlockTranspose"/>, the diagonal block element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyLower<T>(MatrixSpan<T> a, T* s, nint ld, bool toScratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Band = 8;
        int n = a.Rows;
        nint lda = a.Stride;
        fixed (T* a0 = a.Row(0))
        {
            for (int i0 = 0; i0 < n; i0 += Band)
            {
                int rows = Math.Min(Band, n - i0);
                T* ab = a0 + (i0 * lda);
                if (toScratch)
                {
                    BlockTranspose.Transpose(ab, lda, s + i0, ld, rows, i0);
                }
                else
                {
                    BlockTranspose.Transpose(s + i0, ld, ab, lda, i0, rows);
                }

                for (int i = i0; i < i0 + rows; i++)
                {
                    for (int j = i0; j <= i; j++)
                    {
                        ref T sij = ref s[(j * ld) + i];
                        ref T aij = ref ab[((i - i0) * lda) + j];
                        if (toScratch)
                        {
                            sij = aij;
                        }
                        else
                        {
                            aij = sij;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The left-looking loops for one width: 512-bit, 256-bit, or one element at a time (<see cref="LanesScalar{T}"/>, the portable path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Run<T, TV, TL>(T* s, nint ld, int n, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count;
        for (int i0 = 0; i0 < n; i0 += 4)
        {
            T* r0 = s + (i0 * ld), r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            for (int j = i0 / w * w; j < ld; j += w)
            {
                TV c0 = TL.Load(r0 + j), c1 = TL.Load(r1 + j), c2 = TL.Load(r2 + j), c3 = TL.Load(r3 + j);
                T* uk = s;
                for (int k = 0; k < i0; k++, uk += ld)
                {
                    TV x = TL.Load(uk + j);
                    c0 = TL.Fma(TL.Create(-uk[i0]), x, c0);
                    c1 = TL.Fma(TL.Create(-uk[i0 + 1]), x, c1);
                    c2 = TL.Fma(TL.Create(-uk[i0 + 2]), x, c2);
                    c3 = TL.Fma(TL.Create(-uk[i0 + 3]), x, c3);
                }

                TL.Store(c0, r0 + j);
                TL.Store(c1, r1 + j);
                TL.Store(c2, r2 + j);
                TL.Store(c3, r3 + j);
            }

            int info = FinishBlock(s, ld, n, i0, out pivotValue);
            if (info >= 0)
            {
                return info;
            }
        }

        pivotValue = T.Zero;
        return -1;
    }

    /// <summary>Rows i0..i0+3 (those below n): pivot, scaled row, and the update of the block's later rows, row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FinishBlock<T>(T* s, nint ld, int n, int i0, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int end = Math.Min(i0 + 4, n);
        for (int i = i0; i < end; i++)
        {
            T* ri = s + (i * ld);
            T d = ri[i];
            if (!(d > T.Zero) || !T.IsFinite(d))
            {
                pivotValue = d;
                return i;
            }

            T u = T.Sqrt(d);
            ri[i] = u;
            var tail = new Span<T>(ri + i + 1, (int)ld - i - 1);
            VectorOps.Divide(tail, u);
            for (int r = i + 1; r < end; r++)
            {
                VectorOps.Axpy(-ri[r], tail[(r - i - 1)..], new Span<T>(s + (r * ld) + r, (int)ld - r));
            }
        }

        pivotValue = T.Zero;
        return -1;
    }
}
