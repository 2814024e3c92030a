namespace StarNet.LinearAlgebra;

/// <summary>How an operand enters an operation: as stored or transposed. Transposition is never a copy.</summary>
public enum MatrixOp
{
    /// <summary>Use the operand as stored, op(A) = A.</summary>
    None = 0,

    /// <summary>Use the transpose of the operand, op(A) = A^T.</summary>
    Transpose = 1,
}
