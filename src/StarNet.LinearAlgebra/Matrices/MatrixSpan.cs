using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.LinearAlgebra;

/// <summary>
/// A writable, non-owning, row-major strided view of a dense matrix: element (i, j) lives at
/// <c>Span[i * Stride + j]</c>. Slicing a sub-block never copies.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
[DebuggerDisplay("{Rows}x{Cols} (stride {Stride})")]
public readonly ref struct MatrixSpan<T>
    where T : unmanaged
{
    private readonly Span<T> _data;

    /// <summary>Creates a view over <paramref name="data"/> with the given shape and row stride (leading dimension).</summary>
    /// <param name="data">Storage starting at element (0, 0).</param>
    /// <param name="rows">Number of rows, at least 0.</param>
    /// <param name="cols">Number of columns, at least 0.</param>
    /// <param name="stride">Distance in elements between the starts of consecutive rows, at least <paramref name="cols"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is smaller than the column count, or the span is too short.</exception>
    public MatrixSpan(Span<T> data, int rows, int cols, int stride)
    {
        Validate(data.Length, rows, cols, stride);
        _data = data[..Extent(rows, cols, stride)];
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Creates a view over contiguous row-major storage (stride equal to <paramref name="cols"/>).</summary>
    /// <param name="data">Storage of at least rows * cols elements.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public MatrixSpan(Span<T> data, int rows, int cols)
        : this(data, rows, cols, Math.Max(cols, 1))
    {
    }

    private MatrixSpan(Span<T> data, int rows, int cols, int stride, bool _)
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
    public Span<T> Span => _data;

    /// <summary>Element (i, j).</summary>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    public ref T this[int i, int j]
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

    /// <summary>The read-only view of the same elements.</summary>
    /// <param name="m">The writable view.</param>
    public static implicit operator ReadOnlyMatrixSpan<T>(MatrixSpan<T> m) =>
        new(m._data, m.Rows, m.Cols, m.Stride);

    /// <summary>The read-only view of the same elements.</summary>
    public ReadOnlyMatrixSpan<T> AsReadOnly() => this;

    /// <summary>Row <paramref name="i"/> as a contiguous span of <see cref="Cols"/> elements.</summary>
    /// <param name="i">Row index.</param>
    public Span<T> Row(int i)
    {
        if ((uint)i >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(i), $"Row {i} is outside a {Rows}x{Cols} matrix.");
        }

        // A view with no columns may have no storage at all (e.g. the 7 x 0 slice of a matrix).
        return Cols == 0 ? Span<T>.Empty : _data.Slice(i * Stride, Cols);
    }

    /// <summary>The sub-block of <paramref name="rows"/> x <paramref name="cols"/> starting at (row, col), without copying.</summary>
    /// <param name="row">First row.</param>
    /// <param name="col">First column.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public MatrixSpan<T> Slice(int row, int col, int rows, int cols)
    {
        ValidateSlice(Rows, Cols, row, col, rows, cols);
        if (rows == 0 || cols == 0)
        {
            return new MatrixSpan<T>(Span<T>.Empty, rows, cols, Stride, true);
        }

        int start = row * Stride + col;
        return new MatrixSpan<T>(_data.Slice(start, Extent(rows, cols, Stride)), rows, cols, Stride, true);
    }

    /// <summary>Sets every element of the view to <paramref name="value"/>.</summary>
    /// <param name="value">The value to store.</param>
    public void Fill(T value)
    {
        for (int i = 0; i < Rows; i++)
        {
            Row(i).Fill(value);
        }
    }

    /// <summary>Sets every element of the view to zero.</summary>
    public void Clear() => Fill(default);

    /// <summary>Copies the view into a new contiguous row-major array.</summary>
    public T[] ToArray() => AsReadOnly().ToArray();

    /// <summary>Copies the view into <paramref name="destination"/>, which must have the same shape.</summary>
    /// <param name="destination">The target view.</param>
    public void CopyTo(MatrixSpan<T> destination) => AsReadOnly().CopyTo(destination);

    internal static int Extent(int rows, int cols, int stride) =>
        rows == 0 || cols == 0 ? 0 : checked(((rows - 1) * stride) + cols);

    internal static void Validate(int length, int rows, int cols, int stride)
    {
        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Row count {rows} is negative.");
        }

        if (cols < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cols), $"Column count {cols} is negative.");
        }

        if (stride < cols || stride < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"Row stride {stride} is smaller than the column count {cols} (or below 1).");
        }

        long need = rows == 0 || cols == 0 ? 0 : ((long)(rows - 1) * stride) + cols;
        if (need > length)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}x{cols} matrix with row stride {stride} needs {need} elements but the storage holds {length}.");
        }
    }

    internal static void ValidateSlice(int rowsAll, int colsAll, int row, int col, int rows, int cols)
    {
        if (row < 0 || col < 0 || rows < 0 || cols < 0 || (long)row + rows > rowsAll || (long)col + cols > colsAll)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"The block of {rows}x{cols} at ({row}, {col}) does not fit in a {rowsAll}x{colsAll} matrix.");
        }
    }

    private static void ThrowIndex(int i, int j, int rows, int cols) =>
        throw new IndexOutOfRangeException($"Index ({i}, {j}) is outside a {rows}x{cols} matrix.");
}
