using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;
using StarNet.LinearAlgebra.Kernels;
using Xunit;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// The streamed W += A^T B of <see cref="TallNarrowProducts"/> on strided views tall enough to run on two threads:
/// with B of many whole vectors (split between the threads by B's columns, each into its own scratch) and of a few
/// (split by W's rows), both with thin columns past the last whole vector. The two-thread result must have the same
/// bits as the one-thread result, and both must agree with a plain double-precision product within the usual bound.
/// </summary>
public class TallNarrowProductsTests
{
    [Theory]
    [InlineData(InstructionSet.Vector512, 8)]
    [InlineData(InstructionSet.Vector512, 2)]
    [InlineData(InstructionSet.Vector256, 8)]
    [InlineData(InstructionSet.Vector256, 2)]
    [InlineData(InstructionSet.Scalar, 8)]
    public void Transpose_product_is_thread_count_independent_and_accurate(InstructionSet isa, int vectors)
    {
        Check<float>(isa, vectors);
        Check<double>(isa, vectors);
    }

    private static void Check<T>(InstructionSet isa, int vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // 9001 rows: more than two threads' minimum share, and not a whole number of the 64-row blocks.
        int m = 9001, k = 13;
        int lanes;
        using (LinearAlgebraSettings.Override(isa, null, null))
        {
            lanes = Math.Max(1, RowVectorLanes.Count<T>(RowVectorLanes.Widest()));
        }

        int n = (vectors * lanes) + 3;
        var rng = new Random(17 + vectors);
        var storage = new Matrix<T>(m, k + n + 5);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < storage.Cols; j++)
            {
                storage[i, j] = T.CreateTruncating((rng.NextDouble() * 2) - 1);
            }
        }

        var w0 = new Matrix<T>(k, n + 2);
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < w0.Cols; j++)
            {
                w0[i, j] = T.CreateTruncating((rng.NextDouble() * 2) - 1);
            }
        }

        // A and B are strided views (columns 1..k and k+2..k+n+1 of one wider matrix), W a view inside a wider one.
        T[] Run(int threads)
        {
            var w = new Matrix<T>(k, n + 2);
            w0.AsReadOnlySpan().CopyTo(w.AsSpan());
            using (LinearAlgebraSettings.Override(isa, null, threads))
            {
                TallNarrowProducts.AddTransposeProduct<T>(storage.Slice(0, 1, m, k), storage.Slice(0, k + 2, m, n), w.Slice(0, 1, k, n));
            }

            return w.ToArray();
        }

        T[] one = Run(1), two = Run(2);
        Assert.Equal(one, two);

        // |W - W_exact| <= (m + 1) eps (|W0| + |A|^T |B|) entrywise, a worst-case bound of the summation (Higham 3.5).
        double eps = LapackTestKit.Eps<T>();
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < n + 2; j++)
            {
                double got = double.CreateTruncating(one[(i * (n + 2)) + j]), start = double.CreateTruncating(w0[i, j]);
                if (j == 0 || j == n + 1)
                {
                    Assert.Equal(start, got);
                    continue;
                }

                double exact = start, bound = Math.Abs(start);
                for (int r = 0; r < m; r++)
                {
                    double x = double.CreateTruncating(storage[r, 1 + i]) * double.CreateTruncating(storage[r, k + 1 + j]);
                    exact += x;
                    bound += Math.Abs(x);
                }

                Assert.True(Math.Abs(got - exact) <= (m + 1) * eps * bound, $"{typeof(T).Name} {isa} W({i}, {j - 1}) = {got}, exact {exact}, bound {(m + 1) * eps * bound}");
            }
        }
    }
}
