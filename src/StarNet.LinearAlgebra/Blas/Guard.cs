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
        if (!output.IsEmpty && !input.IsEmpty && output.Span.Overlaps(input.Span))
        {
            throw new ArgumentException($"Output {outputName} ({Shape(output)}) overlaps input {inputName} ({Shape(input)}); the operation needs separate storage.", outputName);
        }
    }

    public static ref T Ref<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged => ref MemoryMarshal.GetReference(m.Span);

    public static ref T Ref<T>(MatrixSpan<T> m)
        where T : unmanaged => ref MemoryMarshal.GetReference(m.Span);

    public static unsafe T* Ptr<T>(ref T r)
        where T : unmanaged => (T*)Unsafe.AsPointer(ref r);
}
