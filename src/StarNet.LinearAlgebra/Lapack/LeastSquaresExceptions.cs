using System.Globalization;

namespace StarNet.LinearAlgebra;

/// <summary>
/// Thrown when a least-squares matrix is numerically rank deficient: some |r_ii| of its triangular factor is at or
/// below the tolerance relative to the largest |r_jj| (so the solution would be dominated by rounding), and no
/// ridge term was asked for. Names the estimated rank and the tolerance.
/// </summary>
public sealed class RankDeficientException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="estimatedRank">Number of diagonal entries above the tolerance.</param>
    /// <param name="columns">Number of columns of the matrix.</param>
    /// <param name="tolerance">The relative tolerance used.</param>
    /// <param name="firstColumn">The first column whose diagonal entry fell below the tolerance.</param>
    /// <param name="detail">What was examined (for the message).</param>
    public RankDeficientException(int estimatedRank, int columns, double tolerance, int firstColumn, string detail)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"A is numerically rank deficient: estimated rank {estimatedRank} of {columns} columns ({detail}; first at column {firstColumn}, relative tolerance {tolerance:G3}). Add a ridge term (LeastSquaresOptions.Ridge > 0) or remove dependent columns."))
    {
        EstimatedRank = estimatedRank;
        Columns = columns;
        Tolerance = tolerance;
        FirstDeficientColumn = firstColumn;
    }

    /// <summary>The estimated numerical rank.</summary>
    public int EstimatedRank { get; }

    /// <summary>The number of columns of A.</summary>
    public int Columns { get; }

    /// <summary>The relative tolerance the diagonal entries were compared against.</summary>
    public double Tolerance { get; }

    /// <summary>The first column whose diagonal entry was at or below the tolerance.</summary>
    public int FirstDeficientColumn { get; }
}

/// <summary>Thrown when an input matrix holds NaN or an infinity. Names the matrix and the entry.</summary>
public sealed class NonFiniteValueException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="matrixName">The name of the matrix (A or B).</param>
    /// <param name="row">Row of the offending entry.</param>
    /// <param name="column">Column of the offending entry.</param>
    /// <param name="value">The offending value.</param>
    public NonFiniteValueException(string matrixName, int row, int column, double value)
        : base(string.Create(CultureInfo.InvariantCulture, $"{matrixName}[{row}, {column}] is {value}; least squares needs finite inputs."), matrixName.ToLowerInvariant())
    {
        MatrixName = matrixName;
        Row = row;
        Column = column;
        Value = value;
    }

    /// <summary>The matrix that holds the value.</summary>
    public string MatrixName { get; }

    /// <summary>Row of the offending entry.</summary>
    public int Row { get; }

    /// <summary>Column of the offending entry.</summary>
    public int Column { get; }

    /// <summary>The offending value.</summary>
    public double Value { get; }
}
