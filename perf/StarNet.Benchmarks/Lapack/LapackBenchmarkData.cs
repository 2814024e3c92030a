using System.Numerics;
using StarNet.Benchmarks.Engine;
using StarNet.Benchmarks.Peers;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// Inputs of the LAPACK-layer benchmarks: random matrices (entries uniform in [-0.5, 0.5), fixed seed), symmetric
/// positive definite ones, and the column-major copies the LAPACKE peer works on (LAPACK's native layout, so the
/// peer is timed without LAPACKE's row-major transposition).
/// </summary>
internal static class LapackBenchmarkData
{
    /// <summary>A rows x cols matrix with entries uniform in [-0.5, 0.5).</summary>
    public static Matrix<T> Random<T>(int rows, int cols, int seed)
        where T : unmanaged, IFloatingPointIeee754<T> => GemmBenchmarks.Random<T>(rows, cols, new Random(seed));

    /// <summary>A well-conditioned symmetric positive definite n x n matrix: M M^T / n + I for a random M.</summary>
    public static Matrix<T> SymmetricPositiveDefinite<T>(int n, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> m = Random<T>(n, n, seed);
        var a = new Matrix<T>(n, n);
        Blas.Gemm(T.One / T.CreateTruncating(n), m.AsReadOnlySpan(), MatrixOp.None, m.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, a.AsSpan());
        for (int i = 0; i < n; i++)
        {
            a[i, i] += T.One;
        }

        return a;
    }

    /// <summary>The column-major copy of a (element (i, j) at j * rows + i).</summary>
    public static T[] ColumnMajor<T>(ReadOnlyMatrixSpan<T> a)
        where T : unmanaged
    {
        var c = new T[a.Rows * a.Cols];
        for (int i = 0; i < a.Rows; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                c[(j * a.Rows) + i] = row[j];
            }
        }

        return c;
    }

    /// <summary>Sets the thread count of both engines: ours and OpenBLAS's pool.</summary>
    public static void SetThreads(int threads)
    {
        LinearAlgebraSettings.DegreeOfParallelism = threads;
        OpenBlas.SetThreads(threads);
    }
}

/// <summary>One prepared benchmark case: the inputs are built by the constructor, <see cref="Run"/> is what is timed.</summary>
internal interface IBenchmarkCase
{
    /// <summary>The timed operation.</summary>
    void Run();
}
