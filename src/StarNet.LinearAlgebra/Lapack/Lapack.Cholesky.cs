using System.Globalization;
using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

public static partial class Lapack
{
    /// <summary>
    /// Cholesky factorization in place (LAPACK dpotrf): A = L L^T (<see cref="Triangle.Lower"/>) or A = U^T U
    /// (<see cref="Triangle.Upper"/>) for a symmetric positive definite A. Only the <paramref name="uplo"/> triangle
    /// is used and overwritten with the factor; the other triangle is untouched. Recursive blocking with TRSM, SYRK
    /// and GEMM updates.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The square matrix.</param>
    /// <param name="uplo">Which triangle holds A and receives the factor.</param>
    /// <exception cref="ArgumentException">A is not square.</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">A pivot was not positive (or not finite); the exception names it.</exception>
    public static void CholeskyFactor<T>(MatrixSpan<T> a, Triangle uplo)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!TryCholeskyFactor(a, uplo, out int pivot, out T value))
        {
            throw new MatrixNotPositiveDefiniteException(pivot, double.CreateTruncating(value), a.Rows);
        }
    }

    /// <summary>
    /// Like <see cref="CholeskyFactor{T}"/>, but reports failure instead of throwing (LAPACK's INFO &gt; 0): returns
    /// false with the 0-based index of the first pivot that was not positive, in which case the leading
    /// <paramref name="failedPivot"/> rows and columns hold the factor of the leading positive definite block.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">The square matrix.</param>
    /// <param name="uplo">Which triangle holds A and receives the factor.</param>
    /// <param name="failedPivot">The failing pivot index, or -1.</param>
    /// <param name="pivotValue">The value the failing pivot had (zero, negative or NaN), or zero.</param>
    /// <returns>True when A is positive definite to working precision.</returns>
    /// <exception cref="ArgumentException">A is not square.</exception>
    public static bool TryCholeskyFactor<T>(MatrixSpan<T> a, Triangle uplo, out int failedPivot, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        CheckUplo(uplo);
        if (a.Rows != a.Cols)
        {
            throw new ArgumentException($"Cholesky needs a square matrix, but A is {a.Rows}x{a.Cols}.", nameof(a));
        }

        failedPivot = CholeskyRecursive.Factor(a, uplo, out pivotValue);
        return failedPivot < 0;
    }

    /// <summary>
    /// Solves A X = B in place for many right-hand sides with the factor from <see cref="CholeskyFactor{T}"/>
    /// (LAPACK dpotrs): two triangular solves, each one blocked TRSM over all columns of B at once.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="factor">The n x n factor (only its <paramref name="uplo"/> triangle is read).</param>
    /// <param name="uplo">Which triangle holds the factor.</param>
    /// <param name="b">The n x nrhs right-hand sides, overwritten with the solutions; must not overlap the factor.</param>
    /// <exception cref="ArgumentException">The shapes do not conform or B overlaps the factor.</exception>
    public static void CholeskySolve<T>(ReadOnlyMatrixSpan<T> factor, Triangle uplo, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.SupportedType<T>();
        CheckUplo(uplo);
        if (factor.Rows != factor.Cols || b.Rows != factor.Rows)
        {
            throw new ArgumentException($"Cholesky solve shapes do not conform: the factor is {Guard.Shape(factor)}, B is {b.Rows}x{b.Cols}; B needs {factor.Rows} rows.", nameof(b));
        }

        Guard.NoOverlap(b, factor, "B", "factor");
        SolveWithFactor(factor, uplo, b);
    }

    /// <summary>B := A^-1 B given the Cholesky factor (no checks).</summary>
    internal static void SolveWithFactor<T>(ReadOnlyMatrixSpan<T> factor, Triangle uplo, MatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Lower: L (L^T X) = B.  Upper: U^T (U X) = B.
        MatrixOp first = uplo == Triangle.Lower ? MatrixOp.None : MatrixOp.Transpose;
        MatrixOp second = uplo == Triangle.Lower ? MatrixOp.Transpose : MatrixOp.None;
        Blas.Trsm(Side.Left, uplo, first, DiagonalKind.NonUnit, T.One, factor, b);
        Blas.Trsm(Side.Left, uplo, second, DiagonalKind.NonUnit, T.One, factor, b);
    }

    private static void CheckUplo(Triangle uplo)
    {
        if (uplo is not (Triangle.Lower or Triangle.Upper))
        {
            throw new ArgumentOutOfRangeException(nameof(uplo), $"Unknown triangle {uplo}.");
        }
    }
}

/// <summary>
/// Thrown when a Cholesky factorization meets a pivot that is not positive: the matrix is not positive definite
/// to working precision (LAPACK dpotrf's INFO &gt; 0). Names the pivot.
/// </summary>
public sealed class MatrixNotPositiveDefiniteException : ArithmeticException
{
    /// <summary>Creates the exception for the 0-based pivot <paramref name="pivotIndex"/> of an order-n matrix.</summary>
    /// <param name="pivotIndex">The failing pivot (0-based).</param>
    /// <param name="pivotValue">The value the pivot had before the square root.</param>
    /// <param name="order">The order of the matrix.</param>
    public MatrixNotPositiveDefiniteException(int pivotIndex, double pivotValue, int order)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"The {order}x{order} matrix is not positive definite: pivot {pivotIndex} (0-based; the leading minor of order {pivotIndex + 1}) is {pivotValue:G6}, not positive."))
    {
        PivotIndex = pivotIndex;
        PivotValue = pivotValue;
    }

    /// <summary>The 0-based index of the pivot that was not positive.</summary>
    public int PivotIndex { get; }

    /// <summary>The value of that pivot (zero, negative, or NaN).</summary>
    public double PivotValue { get; }
}
