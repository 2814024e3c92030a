using System.Numerics;
using StarNet.LinearAlgebra.Blas3;

namespace StarNet.LinearAlgebra;

/// <summary>
/// Dense BLAS-style kernels on row-major strided views. Transposition is an argument, never a copy. Every entry
/// point checks shapes first and throws an exception naming the operands and their shapes.
/// </summary>
public static partial class Blas
{
    /// <summary>
    /// General matrix multiply: <c>C := alpha op(A) op(B) + beta C</c>, with op(A) m x k, op(B) k x n and C m x n.
    /// When <paramref name="beta"/> is zero, C is overwritten without being read (NaN in C is ignored). Runs the
    /// packed, cache-blocked kernel on the widest active instruction set and up to
    /// <see cref="LinearAlgebraSettings.DegreeOfParallelism"/> threads; allocates nothing once warm.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Matrix A.</param>
    /// <param name="opA">Whether A enters transposed.</param>
    /// <param name="b">Matrix B.</param>
    /// <param name="opB">Whether B enters transposed.</param>
    /// <param name="beta">Scale of the old C.</param>
    /// <param name="c">Matrix C, overwritten with the result; must not overlap A or B.</param>
    /// <exception cref="ArgumentException">The shapes do not conform, or C overlaps A or B.</exception>
    public static unsafe void Gemm<T>(T alpha, ReadOnlyMatrixSpan<T> a, MatrixOp opA, ReadOnlyMatrixSpan<T> b, MatrixOp opB, T beta, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(opA, nameof(opA));
        Guard.Op(opB, nameof(opB));
        (int m, int k) = Guard.OpShape(a, opA);
        (int kb, int n) = Guard.OpShape(b, opB);
        if (k != kb || c.Rows != m || c.Cols != n)
        {
            throw new ArgumentException(
                $"GEMM shapes do not conform: op(A) is {Guard.Shape(a.Rows, a.Cols, opA)}, op(B) is {Guard.Shape(b.Rows, b.Cols, opB)}, C is {c.Rows}x{c.Cols}; need op(A) m x k, op(B) k x n, C m x n.",
                nameof(c));
        }

        Guard.NoOverlap(c, a, "C", "A");
        Guard.NoOverlap(c, b, "C", "B");
        if (c.IsEmpty)
        {
            return;
        }

        fixed (T* pa = &Guard.Ref(a))
        fixed (T* pb = &Guard.Ref(b))
        fixed (T* pc = &Guard.Ref(c))
        {
            GemmDriver.Run(alpha, pa, a.Stride, opA == MatrixOp.Transpose, pb, b.Stride, opB == MatrixOp.Transpose, beta, pc, c.Stride, m, n, k);
        }
    }
}
