using System.Numerics;
using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The two streamed products of <see cref="TallNarrowProducts"/> when B and C are thinner than one 256-bit vector
/// (n of 1 to 7 float or 1 to 3 double columns: the last columns of a panel), and on the columns of a wider B or C
/// past its whole vectors (at most 15), vectorised along k, the row of A, instead of along n:
/// <code>
///   W(:, j) += A^T B(:, j)     for each row r: W(i0:i1, j) += A(r, i0:i1) B(r, j)       (W's rows in up to four vectors)
///   C(:, j) -= A W(:, j)       for each row r: C(r, j) -= A(r, :) . W(:, j)                (a dot product per entry)
/// </code>
/// Along n these would be scalar loops that walk the rows once per entry of W (a 60000 x 64 x 1 step took several
/// milliseconds). Each entry of W still sums its rows in ascending order; each entry of C is one dot product whose
/// order depends on k only; so neither depends on the thread count.
/// </summary>
internal static unsafe class TallThinProducts
{
    /// <summary>Widest k the dot-product form takes (W^T is copied to the stack).</summary>
    public const int MaxK = 64;

    /// <summary>Most columns of C the dot-product form takes (W^T is copied to the stack).</summary>
    public const int MaxN = 16;

    /// <summary>
    /// W(i0:i1, :) += A(:, i0:i1)^T B over <paramref name="rows"/> rows (w points at W's row 0), in blocks of up to
    /// four vectors of W's rows with the accumulators in registers and a scalar loop for the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddTransposeProduct<T, TW, TV>(T* a, nint lda, T* b, nint ldb, T* w, nint ldw, int rows, int i0, int i1, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        T* acc = stackalloc T[4 * width];
        for (int ib = i0; ib < i1; ib += 4 * width)
        {
            int nv = Math.Min(4, (i1 - ib) / width), iv = ib + (nv * width), iEnd = Math.Min(i1, ib + (4 * width));
            for (int j = 0; j < n; j++)
            {
                for (int i = ib; i < iv; i++)
                {
                    acc[i - ib] = w[(i * ldw) + j];
                }

                TV x0 = nv > 0 ? TW.Load(acc) : default, x1 = nv > 1 ? TW.Load(acc + width) : default;
                TV x2 = nv > 2 ? TW.Load(acc + (2 * width)) : default, x3 = nv > 3 ? TW.Load(acc + (3 * width)) : default;
                T* pa = a + ib, pb = b + j;
                for (int r = 0; r < rows; r++, pa += lda, pb += ldb)
                {
                    TV y = TW.Create(*pb);
                    if (nv > 0)
                    {
                        x0 = TW.Fma(TW.Load(pa), y, x0);
                        if (nv > 1)
                        {
                            x1 = TW.Fma(TW.Load(pa + width), y, x1);
                            if (nv > 2)
                            {
                                x2 = TW.Fma(TW.Load(pa + (2 * width)), y, x2);
                                if (nv > 3)
                                {
                                    x3 = TW.Fma(TW.Load(pa + (3 * width)), y, x3);
                                }
                            }
                        }
                    }
                }

                QrPanelFactorization.StoreAccumulators<T, TW, TV>(nv, x0, x1, x2, x3, acc);
                for (int i = ib; i < iv; i++)
                {
                    w[(i * ldw) + j] = acc[i - ib];
                }

                for (int i = iv; i < iEnd; i++)
                {
                    T s = w[(i * ldw) + j];
                    T* qa = a + i, qb = b + j;
                    for (int r = 0; r < rows; r++, qa += lda, qb += ldb)
                    {
                        s += *qa * *qb;
                    }

                    w[(i * ldw) + j] = s;
                }
            }
        }
    }

    /// <summary>
    /// C -= A W over <paramref name="rows"/> rows (k at most <see cref="MaxK"/>, n at most <see cref="MaxN"/>): each entry subtracts the dot product
    /// of its row of A with its column of W (whole vectors, their lanes summed, then the scalar rest).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubtractProduct<T, TW, TV>(T* a, nint lda, T* w, nint ldw, T* c, nint ldc, int rows, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        if (k > MaxK || n > MaxN)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"The thin product takes at most {MaxK} x {MaxN} of W; got {k} x {n}.");
        }

        int width = TW.Count, kv = k / width * width;
        T* wt = stackalloc T[MaxK * MaxN];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < k; i++)
            {
                wt[(j * k) + i] = w[(i * ldw) + j];
            }
        }

        for (int r = 0; r < rows; r++)
        {
            T* ar = a + (r * lda), cr = c + (r * ldc);
            if (r + StridedRows.Distance < rows)
            {
                StridedRows.Prefetch(ar + (StridedRows.Distance * lda), k * sizeof(T));
                StridedRows.Prefetch(cr + (StridedRows.Distance * ldc), n * sizeof(T));
            }

            for (int j = 0; j < n; j++)
            {
                T* wj = wt + (j * k);
                TV s = default;
                for (int i = 0; i < kv; i += width)
                {
                    s = TW.Fma(TW.Load(ar + i), TW.Load(wj + i), s);
                }

                T d = TW.Sum(s);
                for (int i = kv; i < k; i++)
                {
                    d += ar[i] * wj[i];
                }

                cr[j] -= d;
            }
        }
    }
}
