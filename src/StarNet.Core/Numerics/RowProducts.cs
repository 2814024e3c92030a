using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
    /// <c>h += B^T u</c> for B (m x n, row-major) and u (m values), as a sum of B's rows weighted by u, in row order:
    /// each element of h is <c>((h + u_0 b_0) + u_1 b_1) + ...</c> whatever the vector width, so the vector and scalar
    /// paths agree bit for bit. Rows whose weight is zero are skipped (they would add exact zeros), so an input with
    /// many zeros, such as an image's inverse-activated pixels, reads only the rows it selects. Allocates nothing.
    /// </summary>
    public static void AddWeightedRows<T>(ReadOnlySpan<T> u, ReadOnlyMatrixSpan<T> b, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Rows go four at a time, so that h is loaded and stored once per four rows.
        Span<int> rows = stackalloc int[4];
        int count = 0;
        for (int j = 0; j < u.Length; j++)
        {
            if (u[j] != T.Zero)
            {
                rows[count++] = j;
                if (count == 4)
                {
                    AddFourRows(u[rows[0]], b.Row(rows[0]), u[rows[1]], b.Row(rows[1]), u[rows[2]], b.Row(rows[2]), u[rows[3]], b.Row(rows[3]), h);
                    count = 0;
                }
            }
        }

        for (int q = 0; q < count; q++)
        {
            AddRow(u[rows[q]], b.Row(rows[q]), h);
        }
    }

    private static void AddFourRows<T>(T u0, ReadOnlySpan<T> b0, T u1, ReadOnlySpan<T> b1, T u2, ReadOnlySpan<T> b2, T u3, ReadOnlySpan<T> b3, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var v0 = new Vector<T>(u0);
            var v1 = new Vector<T>(u1);
            var v2 = new Vector<T>(u2);
            var v3 = new Vector<T>(u3);
            ref T hr = ref MemoryMarshal.GetReference(h);
            ref T r0 = ref MemoryMarshal.GetReference(b0);
            ref T r1 = ref MemoryMarshal.GetReference(b1);
            ref T r2 = ref MemoryMarshal.GetReference(b2);
            ref T r3 = ref MemoryMarshal.GetReference(b3);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint k = (nuint)i;
                Vector<T> acc = Vector.LoadUnsafe(ref hr, k);
                acc += v0 * Vector.LoadUnsafe(ref r0, k);
                acc += v1 * Vector.LoadUnsafe(ref r1, k);
                acc += v2 * Vector.LoadUnsafe(ref r2, k);
                acc += v3 * Vector.LoadUnsafe(ref r3, k);
                acc.StoreUnsafe(ref hr, k);
            }
        }

        for (; i < n; i++)
        {
            T acc = h[i];
            acc += u0 * b0[i];
            acc += u1 * b1[i];
            acc += u2 * b2[i];
            acc += u3 * b3[i];
            h[i] = acc;
        }
    }

    private static void AddRow<T>(T u0, ReadOnlySpan<T> b0, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var v0 = new Vector<T>(u0);
            ref T hr = ref MemoryMarshal.GetReference(h);
            ref T r0 = ref MemoryMarshal.GetReference(b0);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint k = (nuint)i;
                (Vector.LoadUnsafe(ref hr, k) + (v0 * Vector.LoadUnsafe(ref r0, k))).StoreUnsafe(ref hr, k);
            }
        }

        for (; i < n; i++)
        {
            h[i] += u0 * b0[i];
        }
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
