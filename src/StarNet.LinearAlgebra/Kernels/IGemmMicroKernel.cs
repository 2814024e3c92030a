namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The GEMM micro-kernel contract (BLIS style, transposed for row-major C):
/// <c>C[0:MR, 0:NR] := alpha * Ap * Bp + beta * C</c>, where <c>Ap</c> is an MR x kc micro-panel packed
/// column by column (MR consecutive values per k step) and <c>Bp</c> is a kc x NR micro-panel packed row by row
/// (NR consecutive values per k step). C is row-major with row stride <c>ldc</c>. When beta is zero, C is
/// written without being read, so whatever it held (NaN included) is ignored.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe interface IGemmMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Rows of the register tile (broadcast dimension).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (vector dimension, contiguous in C).</summary>
    static abstract int NR { get; }

    /// <summary>Runs the micro-kernel on a full MR x NR tile.</summary>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta);
}
