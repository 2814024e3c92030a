using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra;

namespace StarNet.Numerics;

/// <summary>
/// The row-block operations inference is built from, written once for a block of many rows (GEMM) and for a
/// single row (GEMV, which the single-sample paths need for latency: no packing, no threads, no allocation).
/// </summary>
internal static class RowProducts
{
    /// <summary><c>C := A B^T + beta C</c> for a row block A (rows x k) and B (n x k): each row of C is B times the row of A.</summary>
    public static void MultiplyTransposed<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, T beta, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows == 1)
        {
            Blas.Gemv(T.One, b, MatrixOp.None, a.Row(0), beta, c.Row(0));
        }
        else
        {
            Blas.Gemm(T.One, a, MatrixOp.None, b, MatrixOp.Transpose, beta, c);
        }
    }

    /// <summary>
    /// <c>h += P u</c> for one vector, given P (n x m) and its transpose: when at most half of u is non-zero, the sum of
    /// the rows of P^T that u selects (<see cref="AddWeightedRows"/>: reads only those rows), otherwise the GEMV with P
    /// (contiguous rows, dot products in registers), which reads the same bytes faster than the row sum would.
    /// </summary>
    public static void AddProduct<T>(ReadOnlyMatrixSpan<T> p, ReadOnlyMatrixSpan<T> pTransposed, ReadOnlySpan<T> u, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nonZero = u.Length - u.Count(T.Zero);
        if (2 * nonZero > u.Length)
        {
            Blas.Gemv(T.One, p, MatrixOp.None, u, T.One, h);
        }
        else
        {
            AddWeightedRows(u, pTransposed, h);
        }
    }

    /// <summary>Largest input for which <see cref="AddWeightedRows"/> keeps its list of non-zero inputs on the stack.</summary>
    private const int StackRows = 8192;

    /// <summary>
    /// <c>h += B^T u</c> for B (m x n, row-major) and u (m values), as a sum of B's rows weighted by u, in row order:
    /// each element of h is <c>fma(u_(m-1), b_(m-1), ... fma(u_1, b_1, fma(u_0, b_0, h)))</c> whatever the vector width,
    /// so the vector and scalar paths agree bit for bit. Rows whose weight is zero are skipped (they would add exact
    /// zeros to finite sums), so an input with many zeros, such as an image's inverse-activated pixels, reads only the
    /// rows it selects. h is walked in chunks of eight vectors held in registers while every selected row goes by, so
    /// each element of B is loaded once and h once per chunk. Allocates nothing for m up to 8192.
    /// </summary>
    public static void AddWeightedRows<T>(ReadOnlySpan<T> u, ReadOnlyMatrixSpan<T> b, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> rows = u.Length <= StackRows ? stackalloc int[u.Length] : new int[u.Length];
        int count = 0;
        for (int j = 0; j < u.Length; j++)
        {
            if (u[j] != T.Zero)
            {
                rows[count++] = j;
            }
        }

        rows = rows[..count];
        int n = h.Length, i = 0;
        nint stride = b.Stride;
        ref T b0 = ref MemoryMarshal.GetReference(b.Span);
        ref T hr = ref MemoryMarshal.GetReference(h);
        if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            for (; i <= n - (8 * w); i += 8 * w)
            {
                ref T hc = ref Unsafe.Add(ref hr, i);
                Vector256<T> a0 = Vector256.LoadUnsafe(ref hc, 0), a1 = Vector256.LoadUnsafe(ref hc, (nuint)w);
                Vector256<T> a2 = Vector256.LoadUnsafe(ref hc, (nuint)(2 * w)), a3 = Vector256.LoadUnsafe(ref hc, (nuint)(3 * w));
                Vector256<T> a4 = Vector256.LoadUnsafe(ref hc, (nuint)(4 * w)), a5 = Vector256.LoadUnsafe(ref hc, (nuint)(5 * w));
                Vector256<T> a6 = Vector256.LoadUnsafe(ref hc, (nuint)(6 * w)), a7 = Vector256.LoadUnsafe(ref hc, (nuint)(7 * w));
                foreach (int j in rows)
                {
                    var s = Vector256.Create(u[j]);
                    ref T r = ref Unsafe.Add(ref b0, (j * stride) + i);
                    a0 = Fma(s, Vector256.LoadUnsafe(ref r, 0), a0);
                    a1 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)w), a1);
                    a2 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(2 * w)), a2);
                    a3 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(3 * w)), a3);
                    a4 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(4 * w)), a4);
                    a5 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(5 * w)), a5);
                    a6 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(6 * w)), a6);
                    a7 = Fma(s, Vector256.LoadUnsafe(ref r, (nuint)(7 * w)), a7);
                }

                a0.StoreUnsafe(ref hc, 0);
                a1.StoreUnsafe(ref hc, (nuint)w);
                a2.StoreUnsafe(ref hc, (nuint)(2 * w));
                a3.StoreUnsafe(ref hc, (nuint)(3 * w));
                a4.StoreUnsafe(ref hc, (nuint)(4 * w));
                a5.StoreUnsafe(ref hc, (nuint)(5 * w));
                a6.StoreUnsafe(ref hc, (nuint)(6 * w));
                a7.StoreUnsafe(ref hc, (nuint)(7 * w));
            }

            for (; i <= n - w; i += w)
            {
                Vector256<T> a0 = Vector256.LoadUnsafe(ref hr, (nuint)i);
                foreach (int j in rows)
                {
                    a0 = Fma(Vector256.Create(u[j]), Vector256.LoadUnsafe(ref b0, (nuint)((j * stride) + i)), a0);
                }

                a0.StoreUnsafe(ref hr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            T acc = h[i];
            foreach (int j in rows)
            {
                acc = T.FusedMultiplyAdd(u[j], Unsafe.Add(ref b0, (j * stride) + i), acc);
            }

            h[i] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }

    /// <summary>Sets every row of <paramref name="c"/> to <paramref name="row"/> times <paramref name="scale"/>.</summary>
    public static void FillRows<T>(MatrixSpan<T> c, ReadOnlySpan<T> row, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < c.Rows; i++)
        {
            TensorPrimitives.Multiply(row, scale, c.Row(i));
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="c"/>.</summary>
    public static void AddToRows<T>(MatrixSpan<T> c, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < c.Rows; i++)
        {
            Span<T> r = c.Row(i);
            TensorPrimitives.Add(r, bias, r);
        }
    }

    /// <summary>A matrix view of a thread buffer of rows x cols elements.</summary>
    public static MatrixSpan<T> Buffer<T>(int slot, int rows, int cols)
        where T : unmanaged => new(ThreadBuffers<T>.Get(slot, rows * cols), rows, cols);

    /// <summary>A one-row matrix view of a vector.</summary>
    public static MatrixSpan<T> AsRow<T>(Span<T> vector)
        where T : unmanaged => new(vector, 1, vector.Length);

    /// <summary>A one-row read-only matrix view of a vector.</summary>
    public static ReadOnlyMatrixSpan<T> AsRow<T>(ReadOnlySpan<T> vector)
        where T : unmanaged => new(vector, 1, vector.Length);
}
