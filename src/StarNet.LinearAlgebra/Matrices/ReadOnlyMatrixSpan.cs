using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.LinearAlgebra;

/// <summary>
/// A read-only, non-owning, row-major strided view of a dense matrix: element (i, j) lives at
/// <c>Span[i * Stride + j]</c>. Slicing a sub-block never copies.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
[DebuggerDisplay("{Rows}x{Cols} (stride {Stride})")]
public readonly ref struct ReadOnlyMatrixSpan<T>
    where T : unmanaged
{
    private readonly ReadOnlySpan<T> _data;

    /// <summary>Creates a view over <paramref name="data"/> with the given shape and row stride (leading dimension).</summary>
    /// <param name="data">Storage starting at element (0, 0).</param>
    /// <param name="rows">Number of rows, at least 0.</param>
    /// <param name="cols">Number of columns, at least 0.</param>
    /// <param name="stride">Distance in elements between the starts of consecutive rows, at least <paramref name="cols"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is smaller than the column count, or the span is too short.</exception>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> data, int rows, int cols, int stride)
    {
        MatrixSpan<T>.Validate(data.Length, rows, cols, stride);
        _data = data[..MatrixSpan<T>.Extent(rows, cols, stride)];
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Creates a view over contiguous row-major storage (stride equal to <paramref name="cols"/>).</summary>
    /// <param name="data">Storage of at least rows * cols elements.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> data, int rows, int cols)
        : this(data, rows, cols, Math.Max(cols, 1))
    {
    }

    private ReadOnlyMatrixSpan(ReadOnlySpan<T> data, int rows, int cols, int stride, bool _)
    {
        _data = data;
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Row stride (leading dimension) in elements.</summary>
    public int Stride { get; }

    /// <summary>True when the view has no elements.</summary>
    public bool IsEmpty => Rows == 0 || Cols == 0;

    /// <summary>The storage covered by the view, from element (0, 0) to element (Rows-1, Cols-1) inclusive.</summary>
    public ReadOnlySpan<T> Span => _data;

    /// <summary>Element (i, j).</summary>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    public ref readonly T this[int i, int j]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)i >= (uint)Rows || (uint)j >= (uint)Cols)
            {
                ThrowIndex(i, j, Rows, Cols);
            }

            return ref Unsafe.Add(ref MemoryMarshal.GetReference(_data), (nint)i * Stride + j);
        }
    }

    /// <summary>Row <paramref name="i"/> as a contiguous span of <see cref="Cols"/> elements.</summary>
    /// <param name="i">Row index.</param>
    public ReadOnlySpan<T> Row(int i)
    {
        if ((uint)i >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"Row {i} is outside a {Rows}x{Cols} matrix.");
        }

        // A view with no columns may have no storage at all (e.g. the 7 x 0 slice of a matrix).
        return Cols == 0 ? ReadOnlySpan<T>.Empty : _data.Slice(i * Stride, Cols);
    }

    /// <summary>The sub-block of <paramref name="rows"/> x <paramref name="cols"/> starting at (row, col), without copying.</summary>
    /// <param name="row">First row.</param>
    /// <param name="col">First column.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public ReadOnlyMatrixSpan<T> Slice(int row, int col, int rows, int cols)
    {
        MatrixSpan<T>.ValidateSlice(Rows, Cols, row, col, rows, cols);
        if (rows == 0 || cols == 0)
        {
            return new ReadOnlyMatrixSpan<T>(ReadOnlySpan<T>.Empty, rows, cols, Stride, true);
        }

        int start = row * Stride + col;
        return new ReadOnlyMatrixSpan<T>(_data.Slice(start, MatrixSpan<T>.Extent(rows, cols, Stride)), rows, cols, Stride, true);
    }

    /// <summary>Copies the view into a new contiguous row-major array.</summary>
    public T[] ToArray()
    {
        var result = new T[Rows * Cols];
        for (int i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(result.AsSpan(i * Cols, Cols));
        }

        return result;
    }

    /// <summary>Copies the view into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The target view.</param>
    public void CopyTo(MatrixSpan<T> destination)
    {
        if (destination.Rows != Rows || destination.Cols != Cols)
        {
            throw new ArgumentException($"Cannot copy a {Rows}x{Cols} matrix into a {destination.Rows}x{destination.Cols} matrix.", nameof(destination));
        }

        for (int i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(destination.Row(i));
        }
    }

    private static void ThrowIndex(int i, int j, int rows, int cols) =>
        throw new IndexOutOfRangeException($"Index ({i}, {j}) is outside a {rows}x{cols} matrix.");
}
