namespace StarNet.LinearAlgebra.Tests.Support;

/// <summary>
/// A test matrix that lives inside larger storage: a strided sub-view with guard rows above and below and guard
/// columns to the right (and left), all filled with a sentinel, so tests can check that kernels never write outside
/// the view. Element values come from a seeded generator.
/// </summary>
public sealed class PaddedMatrix<T>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static readonly T Sentinel = T.CreateTruncating(-7777.25);
    private readonly T[] _storage;
    private readonly int _offset;

    public PaddedMatrix(int rows, int cols, int padCols, int padRows)
    {
        Rows = rows;
        Cols = cols;
        Stride = Math.Max(1, cols + padCols);
        int left = padCols > 0 ? 1 : 0;
        _offset = (padRows * Stride) + left;
        _storage = new T[((rows + (2 * padRows)) * Stride) + Stride + 2];
        Array.Fill(_storage, Sentinel);
    }

    public int Rows { get; }

    public int Cols { get; }

    public int Stride { get; }

    public MatrixSpan<T> View => new(_storage.AsSpan(_offset), Rows, Cols, Stride);

    public void FillRandom(Random rng, double scale = 1.0)
    {
        MatrixSpan<T> v = View;
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                v[i, j] = T.CreateTruncating(((rng.NextDouble() * 2) - 1) * scale);
            }
        }
    }

    public void Fill(T value) => View.Fill(value);

    public double[,] ToDouble()
    {
        var r = new double[Rows, Cols];
        MatrixSpan<T> v = View;
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Cols; j++)
            {
                r[i, j] = double.CreateTruncating(v[i, j]);
            }
        }

        return r;
    }

    /// <summary>True when every storage element outside the view still holds the sentinel.</summary>
    public bool GuardsIntact()
    {
        for (int idx = 0; idx < _storage.Length; idx++)
        {
            int rel = idx - _offset;
            bool inside = rel >= 0 && rel / Stride < Rows && rel % Stride < Cols;
            if (!inside && _storage[idx] != Sentinel)
            {
                return false;
            }
        }

        return true;
    }
}
