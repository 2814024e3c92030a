using System.Numerics;
using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the micro-panel layouts the micro-kernels read (see
/// <see cref="IGemmMicroKernel{T}"/>), zero-padding partial panels so that edge tiles run the same kernel.
/// The routines are generic in the kernel so that MR and NR are JIT-time constants: a full panel row is then one
/// fixed-size block copy, which the JIT unrolls into vector moves.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs micro-panels <paramref name="panel0"/> .. panel1-1 of the op(A) block whose first row is
    /// <paramref name="row0"/> and which has <paramref name="rows"/> rows, over depth columns p0 .. p0+kc-1.
    /// Panel r holds kc groups of MR values at <c>dst + r * MR * kc</c>.
    /// </summary>
    public static void PackA<T, TKernel>(T* a, nint lda, bool trans, int row0, int rows, int panel0, int panel1, int p0, int kc, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        int mr = TKernel.MR;
        if (trans)
        {
            // op(A) = A^T: the MR values of one depth step are contiguous in A. Walk A's rows once, scattering
            // each row's panels, so every source row is read contiguously.
            for (int p = 0; p < kc; p++)
            {
                T* src = a + ((p0 + p) * lda) + row0;
                for (int r = panel0; r < panel1; r++)
                {
                    T* d = dst + (r * mr * kc) + (p * mr);
                    int valid = Math.Min(mr, rows - (r * mr));
                    if (valid == mr)
                    {
                        Unsafe.CopyBlockUnaligned(d, src + (r * mr), (uint)(TKernel.MR * sizeof(T)));
                    }
                    else
                    {
                        for (int i = 0; i < mr; i++)
                        {
                            d[i] = i < valid ? src[(r * mr) + i] : T.Zero;
                        }
                    }
                }
            }

            return;
        }

        // op(A) = A: each panel row is contiguous in A. Read the MR rows side by side so that every depth step
        // writes one contiguous group of MR values.
        T** rowPtr = stackalloc T*[TKernel.MR];
        for (int r = panel0; r < panel1; r++)
        {
            T* d = dst + (r * mr * kc);
            int valid = Math.Min(mr, rows - (r * mr));
            for (int i = 0; i < valid; i++)
            {
                rowPtr[i] = a + ((row0 + (r * mr) + i) * lda) + p0;
            }

            if (valid == mr)
            {
                for (int p = 0; p < kc; p++, d += mr)
                {
                    for (int i = 0; i < TKernel.MR; i++)
                    {
                        d[i] = rowPtr[i][p];
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, d += mr)
                {
                    for (int i = 0; i < mr; i++)
                    {
                        d[i] = i < valid ? rowPtr[i][p] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs micro-panels <paramref name="panel0"/> .. panel1-1 of the op(B) block whose first column is
    /// <paramref name="col0"/> and which has <paramref name="cols"/> columns, over depth rows p0 .. p0+kc-1.
    /// Panel q holds kc groups of NR values at <c>dst + q * NR * kc</c>.
    /// </summary>
    public static void PackB<T, TKernel>(T* b, nint ldb, bool trans, int col0, int cols, int panel0, int panel1, int p0, int kc, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmMicroKernel<T>
    {
        int nr = TKernel.NR;
        if (!trans)
        {
            // op(B) = B: the NR values of one depth step are contiguous in B. Walk B's rows once.
            for (int p = 0; p < kc; p++)
            {
                T* src = b + ((p0 + p) * ldb) + col0;
                for (int q = panel0; q < panel1; q++)
                {
                    T* d = dst + (q * nr * kc) + (p * nr);
                    int valid = Math.Min(nr, cols - (q * nr));
                    if (valid == nr)
                    {
                        Unsafe.CopyBlockUnaligned(d, src + (q * nr), (uint)(TKernel.NR * sizeof(T)));
                    }
                    else
                    {
                        for (int j = 0; j < nr; j++)
                        {
                            d[j] = j < valid ? src[(q * nr) + j] : T.Zero;
                        }
                    }
                }
            }

            return;
        }

        // op(B) = B^T: column j of a panel is row col0+j of B, contiguous. Read the NR rows side by side so that
        // every depth step writes one contiguous group of NR values.
        T** colPtr = stackalloc T*[TKernel.NR];
        for (int q = panel0; q < panel1; q++)
        {
            T* d = dst + (q * nr * kc);
            int valid = Math.Min(nr, cols - (q * nr));
            for (int j = 0; j < valid; j++)
            {
                colPtr[j] = b + ((col0 + (q * nr) + j) * ldb) + p0;
            }

            if (valid == nr)
            {
                for (int p = 0; p < kc; p++, d += nr)
                {
                    for (int j = 0; j < TKernel.NR; j++)
                    {
                        d[j] = colPtr[j][p];
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++, d += nr)
                {
                    for (int j = 0; j < nr; j++)
                    {
                        d[j] = j < valid ? colPtr[j][p] : T.Zero;
                    }
                }
            }
        }
    }
}
