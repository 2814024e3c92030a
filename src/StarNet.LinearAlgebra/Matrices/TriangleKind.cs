namespace StarNet.LinearAlgebra;

/// <summary>Which triangle of a square matrix holds the data of a triangular or symmetric operand.</summary>
public enum Triangle
{
    /// <summary>The lower triangle (row index at least column index).</summary>
    Lower = 0,

    /// <summary>The upper triangle (row index at most column index).</summary>
    Upper = 1,
}

/// <summary>Whether a triangular matrix's diagonal is read from storage or taken as all ones.</summary>
public enum DiagonalKind
{
    /// <summary>The diagonal is read from storage.</summary>
    NonUnit = 0,

    /// <summary>The diagonal is implicitly one and storage on it is not read.</summary>
    Unit = 1,
}

/// <summary>On which side of the right-hand side a triangular matrix multiplies.</summary>
public enum Side
{
    /// <summary>op(A) X = alpha B: the triangular matrix stands on the left.</summary>
    Left = 0,

    /// <summary>X op(A) = alpha B: the triangular matrix stands on the right.</summary>
    Right = 1,
}
