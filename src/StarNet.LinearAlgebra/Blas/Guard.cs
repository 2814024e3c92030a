using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.LinearAlgebra;

/// <summary>Shared argument checks with messages that name the operands and their shapes.</summary>
internal static class Guard
{
    public static void SupportedType<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"The engine supports float and double, not {typeof(T).Name}.");
        }
    }

    public static string Shape<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged => $"{m.Rows}x{m.Cols}";

    public static string Shape(int rows, int cols, MatrixOp op) =>
        op == MatrixOp.None ? $"{rows}x{cols}" : $"({rows}x{cols})^T";

    public static void Op(MatrixOp op, string name)
    {
        if (op is not (MatrixOp.None or MatrixOp.Transpose))
        {
            throw new ArgumentOutOfRangeException(name, $"Unknown matrix operation {op}.");
        }
    }

    /// <summary>Rows and columns of op(M).</summary>
    public static (int Rows, int Cols) OpShape<T>(ReadOnlyMatrixSpan<T> m, MatrixOp op)
        where T : unmanaged => op == MatrixOp.None ? (m.Rows, m.Cols) : (m.Cols, m.Rows);

    /// <summary>Throws when the output shares memory with an input (the kernels read inputs while writing the output).</summary>
    public static void NoOverlap<T>(ReadOnlyMatrixSpan<T> output, ReadOnlyMatrixSpan<T> input, string outputName, string inputName)
        where T : unmanaged
    {
        if (Overlap(output, input))
        {
            throw new ArgumentException($"Output {outputName} ({Shape(output)}) overlaps input {inputName} ({Shape(input)}); the operation needs separate storage.", outputName);
        }
    }

    /// <summary>
    /// True when two views share an element. Views with the same stride into one buffer (say, two column blocks of
    /// one matrix) interleave in memory without sharing elements; they are compared as rectangles.
    /// </summary>
    public static bool Overlap<T>(ReadOnlyMatrixSpan<T> x, ReadOnlyMatrixSpan<T> y)
        where T : unmanaged
    {
        if (x.IsEmpty || y.IsEmpty || !x.Span.Overlaps(y.Span, out int offset))
        {
            return false;
        }

        if (x.Stride != y.Stride)
        {
            return true;
        }

        // y starts offset elements after x (offset may be negative); locate y's origin in x's row/column grid.
        int stride = x.Stride;
        int dr = (int)Math.Floor((double)offset / stride);
        int dc = offset - (dr * stride);
        // Row r of y covers grid row dr+r, columns [dc, dc+y.Cols), wrapping into row dr+r+1 past the stride.
        bool sameRows = dr < x.Rows && -dr < y.Rows;
        bool wrapRows = dr + 1 < x.Rows && -(dr + 1) < y.Rows;
        return (sameRows && dc < x.Cols) || (dc + y.Cols > stride && wrapRows);
    }

    public static ref T Ref<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged => ref MemoryMarshal.GetReference(m.Span);

    public static ref T Ref<T>(MatrixSpan<T> m)
        where T : unmanaged => ref MemoryMarshal.GetReference(m.Span);
}
