using System.Numerics;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the micro-panel layouts the micro-kernels read (see
/// <see cref="IGemmMicroKernel{T}"/>), zero-padding partial panels so that edge tiles run the same kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs one micro-panel of op(A): rows <paramref name="row0"/> .. row0+rows-1 (zero-padded to MR rows),
    /// depth columns <paramref name="p0"/> .. p0+kc-1, as kc groups of MR values.
    /// </summary>
    public static void PackA<T>(T* a, nint lda, bool trans, int row0, int rows, int p0, int kc, int mr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!trans)
        {
            // op(A) = A: row i of the panel is contiguous in A; write it with stride MR.
            for (int i = 0; i < rows; i++)
            {
                T* src = a + ((row0 + i) * lda) + p0;
                T* d = dst + i;
                for (int p = 0; p < kc; p++)
                {
                    d[p * mr] = src[p];
                }
            }

            for (int i = rows; i < mr; i++)
            {
                for (int p = 0; p < kc; p++)
                {
                    dst[(p * mr) + i] = T.Zero;
                }
            }
        }
        else
        {
            // op(A) = A^T: the MR values of one depth step are contiguous in A.
            for (int p = 0; p < kc; p++)
            {
                T* src = a + ((p0 + p) * lda) + row0;
                T* d = dst + (p * mr);
                new ReadOnlySpan<T>(src, rows).CopyTo(new Span<T>(d, rows));
                if (rows < mr)
                {
                    new Span<T>(d + rows, mr - rows).Clear();
                }
            }
        }
    }

    /// <summary>
    /// Packs micro-panel columns <paramref name="col0"/> .. col0+cols-1 of op(B), depth rows
    /// <paramref name="p0"/> .. p0+kc-1, as kc groups of NR values.
    /// </summary>
    public static void PackB<T>(T* b, nint ldb, bool trans, int col0, int cols, int p0, int kc, int nr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!trans)
        {
            // op(B) = B: the NR values of one depth step are contiguous in B.
            for (int p = 0; p < kc; p++)
            {
                T* src = b + ((p0 + p) * ldb) + col0;
                T* d = dst + (p * nr);
                new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(d, cols));
                if (cols < nr)
                {
                    new Span<T>(d + cols, nr - cols).Clear();
                }
            }
        }
        else
        {
            // op(B) = B^T: column j of the panel is row col0+j of B, contiguous; write it with stride NR.
            for (int j = 0; j < cols; j++)
            {
                T* src = b + ((col0 + j) * ldb) + p0;
                T* d = dst + j;
                for (int p = 0; p < kc; p++)
                {
                    d[p * nr] = src[p];
                }
            }

            for (int j = cols; j < nr; j++)
            {
                for (int p = 0; p < kc; p++)
                {
                    dst[(p * nr) + j] = T.Zero;
                }
            }
        }
    }
}
