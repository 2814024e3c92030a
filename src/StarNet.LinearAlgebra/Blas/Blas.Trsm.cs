using System.Numerics;
using StarNet.LinearAlgebra.Blas3;

namespace StarNet.LinearAlgebra;

public static partial class Blas
{
    /// <summary>
    /// Triangular solve with many right-hand sides (BLAS xTRSM): for <see cref="Side.Left"/>,
    /// <c>B := alpha op(A)^-1 B</c>; for <see cref="Side.Right"/>, <c>B := alpha B op(A)^-1</c>. Only the
    /// <paramref name="uplo"/> triangle of A is read; with <see cref="DiagonalKind.Unit"/> its diagonal is taken as ones.
    /// No check for a zero diagonal is made (as in BLAS): a singular A gives infinities, which the callers that
    /// need it (the factorizations) rule out beforehand.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="side">Whether op(A) stands left or right of X.</param>
    /// <param name="uplo">Which triangle of A holds it.</param>
    /// <param name="opA">Whether A enters transposed.</param>
    /// <param name="diag">Unit or non-unit diagonal.</param>
    /// <param name="alpha">Scale of the right-hand sides.</param>
    /// <param name="a">The square triangular matrix, order B.Rows (left) or B.Cols (right).</param>
    /// <param name="b">The right-hand sides, overwritten with the solution; must not overlap A.</param>
    /// <exception cref="ArgumentException">A is not square, its order does not match B, or B overlaps A.</exception>
    public static void Trsm<T>(Side side, Triangle uplo, MatrixOp opA, DiagonalKind diag, T alpha, ReadOnlyMatrixSpan<T> a, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        Guard.Op(opA, nameof(opA));
        if (a.Rows != a.Cols)
        {
            throw new ArgumentException($"TRSM needs a square triangular A, got A {Guard.Shape(a)}.", nameof(a));
        }

        int need = side == Side.Left ? b.Rows : b.Cols;
        if (a.Rows != need)
        {
            throw new ArgumentException(
                $"TRSM {side}: A is {Guard.Shape(a)} but B is {Guard.Shape<T>(b)}; A's order must equal B's {(side == Side.Left ? "row" : "column")} count.",
                nameof(b));
        }

        Guard.NoOverlap(b, a, "B", "A");
        TriangularSolveDriver.Solve(side, uplo == Triangle.Lower, opA == MatrixOp.Transpose, diag == DiagonalKind.Unit, alpha, a, b);
    }
}
