using System.Numerics;
using System.Numerics.Tensors;
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
