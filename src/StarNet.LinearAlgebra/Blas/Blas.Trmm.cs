using System.Numerics;
using StarNet.LinearAlgebra.Blas3;

namespace StarNet.LinearAlgebra;

public static partial class Blas
{
    /// <summary>
    /// Triangular matrix multiply (BLAS dtrmm): <c>B := alpha op(A) B</c> (<see cref="Side.Left"/>) or
    /// <c>B := alpha B op(A)</c> (<see cref="Side.Right"/>), in place, with A triangular. Only the
    /// <paramref name="uplo"/> triangle of A is read (and not its diagonal when <paramref name="diag"/> is
    /// <see cref="DiagonalKind.Unit"/>). Recursive: the triangle is split in halves and the off-diagonal block is one
    /// packed GEMM, so it runs at GEMM speed on large operands; allocates nothing.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="side">Whether A stands left or right of B.</param>
    /// <param name="uplo">Which triangle of A holds it.</param>
    /// <param name="opA">Whether A enters transposed.</param>
    /// <param name="diag">Whether A has a unit diagonal.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">The square triangular matrix A (order rows of B for the left side, columns of B for the right).</param>
    /// <param name="b">Matrix B, overwritten with the product; must not overlap A.</param>
    /// <exception cref="ArgumentException">A is not square, its order does not match B, or B overlaps A.</exception>
    public static void Trmm<T>(Side side, Triangle uplo, MatrixOp opA, DiagonalKind diag, T alpha, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTriangularOperands(side, uplo, opA, diag, a, b, "TRMM");
        TriangularMultiplyDriver.Multiply(side, uplo, opA, diag, alpha, a, b);
    }

    /// <summary>Argument checks shared by the triangular level-3 routines.</summary>
    internal static void CheckTriangularOperands<T>(Side side, Triangle uplo, MatrixOp opA, DiagonalKind diag, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b, string routine)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(opA, nameof(opA));
        if (side is not (Side.Left or Side.Right))
        {
            throw new ArgumentOutOfRangeException(nameof(side), $"Unknown side {side}.");
        }

        if (uplo is not (Triangle.Lower or Triangle.Upper))
        {
            throw new ArgumentOutOfRangeException(nameof(uplo), $"Unknown triangle {uplo}.");
        }

        if (diag is not (DiagonalKind.NonUnit or DiagonalKind.Unit))
        {
            throw new ArgumentOutOfRangeException(nameof(diag), $"Unknown diagonal kind {diag}.");
        }

        int order = side == Side.Left ? b.Rows : b.Cols;
        if (a.Rows != a.Cols || a.Rows != order)
        {
            throw new ArgumentException(
                $"{routine} shapes do not conform: A is {Guard.Shape(a)}, B is {b.Rows}x{b.Cols}; A must be square of order {order} (the {(side == Side.Left ? "rows" : "columns")} of B).",
                nameof(a));
        }

        Guard.NoOverlap(b, a, "B", "A");
    }
}
