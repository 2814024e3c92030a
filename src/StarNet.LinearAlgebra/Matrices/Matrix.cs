using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra;

/// <summary>
/// An owning dense row-major matrix whose storage starts on a 64-byte boundary (one cache line, one
/// 512-bit vector). The storage lives in a pinned managed array, so it never moves and needs no disposal.
/// </summary>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
[DebuggerDisplay("Matrix {Rows}x{Cols} (stride {Stride})")]
public sealed class Matrix<T>
    where T : unmanaged
{
    private const int Alignment = 64;
    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>Creates a zero-filled matrix.</summary>
    /// <param name="rows">Number of rows, at least 0.</param>
    /// <param name="cols">Number of columns, at least 0.</param>
    /// <param name="stride">Row stride in elements; 0 (the default) means <paramref name="cols"/>.</param>
    public Matrix(int rows, int cols, int stride = 0)
    {
        if (stride == 0)
        {
            stride = Math.Max(cols, 1);
        }

        int length = MatrixSpan<T>.Extent(rows, cols, stride);
        MatrixSpan<T>.Validate(length, rows, cols, stride);
        int pad = Alignment / Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(length + pad, pinned: true);
        _offset = AlignmentOffset(_array);
        Rows = rows;
        Cols = cols;
        Stride = stride;
        Length = length;
    }

    /// <summary>
    /// A rows x cols matrix (stride cols) over the storage of <paramref name="storage"/>, shared and not cleared:
    /// for reusing warm scratch, whose pages are already touched (fresh memory costs page faults that can exceed
    /// the arithmetic on a virtual machine: docs/lapack.md, "One-shot solves").
    /// </summary>
    internal Matrix(Matrix<T> storage, int rows, int cols)
    {
        int stride = Math.Max(cols, 1);
        int length = MatrixSpan<T>.Extent(rows, cols, stride);
        MatrixSpan<T>.Validate(length, rows, cols, stride);
        if (length > storage.Capacity)
        {
            throw new ArgumentException($"A {rows}x{cols} matrix needs {length} elements; the storage has {storage.Capacity}.", nameof(storage));
        }

        _array = storage._array;
        _offset = storage._offset;
        Rows = rows;
        Cols = cols;
        Stride = stride;
        Length = length;
    }

    /// <summary>Elements available from element (0, 0) to the end of the storage.</summary>
    internal int Capacity => _array.Length - _offset;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Row stride (leading dimension) in elements.</summary>
    public int Stride { get; }

    /// <summary>Number of storage elements covered, (Rows-1) * Stride + Cols.</summary>
    public int Length { get; }

    /// <summary>The storage, from element (0, 0) onwards; starts 64-byte aligned.</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>Element (i, j).</summary>
    /// <param name="i">Row index.</param>
    /// <param name="j">Column index.</param>
    public ref T this[int i, int j] => ref AsSpan()[i, j];

    /// <summary>A writable view of the whole matrix.</summary>
    public MatrixSpan<T> AsSpan() => new(_array.AsSpan(_offset, Length), Rows, Cols, Stride);

    /// <summary>A read-only view of the whole matrix.</summary>
    public ReadOnlyMatrixSpan<T> AsReadOnlySpan() => new(_array.AsSpan(_offset, Length), Rows, Cols, Stride);

    /// <summary>A writable view of a sub-block.</summary>
    /// <param name="row">First row.</param>
    /// <param name="col">First column.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public MatrixSpan<T> Slice(int row, int col, int rows, int cols) => AsSpan().Slice(row, col, rows, cols);

    /// <summary>Copies a contiguous row-major array into a new matrix.</summary>
    /// <param name="data">Row-major values, exactly rows * cols of them.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    public static Matrix<T> FromRowMajor(ReadOnlySpan<T> data, int rows, int cols)
    {
        if ((long)rows * cols != data.Length)
        {
            throw new ArgumentException($"A {rows}x{cols} matrix needs {(long)rows * cols} values but {data.Length} were given.", nameof(data));
        }

        var m = new Matrix<T>(rows, cols);
        new ReadOnlyMatrixSpan<T>(data, rows, cols).CopyTo(m.AsSpan());
        return m;
    }

    /// <summary>Copies a view into a new matrix.</summary>
    /// <param name="source">The view to copy.</param>
    public static Matrix<T> CopyOf(ReadOnlyMatrixSpan<T> source)
    {
        var m = new Matrix<T>(source.Rows, source.Cols);
        source.CopyTo(m.AsSpan());
        return m;
    }

    /// <summary>Copies the matrix into a new contiguous row-major array.</summary>
    public T[] ToArray() => AsReadOnlySpan().ToArray();

    private static unsafe int AlignmentOffset(T[] array)
    {
        // The array is pinned (pinned object heap), so its address is stable for its lifetime.
        nint address = (nint)Unsafe.AsPointer(ref array[0]);
        int misalignment = (int)(address & (Alignment - 1));
        return misalignment == 0 ? 0 : (Alignment - misalignment) / Unsafe.SizeOf<T>();
    }
}
