using StarNet.LinearAlgebra;
using StarNet.Numerics;

namespace StarNet.Core.Tests.Inference;

/// <summary>The single-sample encode's product h += P u as weighted rows of P^T, skipping zero weights.</summary>
public class WeightedRowsTests
{
    [Theory]
    [InlineData(784, 256, 0.8)]
    [InlineData(256, 128, 0.0)]
    [InlineData(13, 7, 0.5)]
    [InlineData(5, 1, 0.3)]
    [InlineData(9, 33, 1.0)]
    [InlineData(40, 100, 0.2)]
    public void Sum_is_the_row_order_sum_of_the_non_zero_weights_bit_for_bit(int rows, int cols, double zeroFraction)
    {
        Check<float>(rows, cols, zeroFraction);
        Check<double>(rows, cols, zeroFraction);
    }

    private static void Check<T>(int rows, int cols, double zeroFraction)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(rows + cols);
        var b = new Matrix<T>(rows, cols);
        for (int i = 0; i < b.Span.Length; i++)
        {
            b.Span[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        }

        var u = new T[rows];
        for (int j = 0; j < rows; j++)
        {
            u[j] = rng.NextDouble() < zeroFraction ? T.Zero : T.CreateTruncating(rng.NextDouble() - 0.5);
        }

        var h = new T[cols];
        var expected = new T[cols];
        for (int i = 0; i < cols; i++)
        {
            h[i] = expected[i] = T.CreateTruncating(i * 0.125);
        }

        RowProducts.AddWeightedRows<T>(u, b.AsReadOnlySpan(), h);
        double worst = 0, eps = typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
        for (int i = 0; i < cols; i++)
        {
            T acc = expected[i];
            double dense = double.CreateTruncating(expected[i]), magnitude = Math.Abs(dense);
            for (int j = 0; j < rows; j++)
            {
                dense += double.CreateTruncating(u[j]) * double.CreateTruncating(b[j, i]);
                magnitude += Math.Abs(double.CreateTruncating(u[j]) * double.CreateTruncating(b[j, i]));
                if (u[j] != T.Zero)
                {
                    acc = T.FusedMultiplyAdd(u[j], b[j, i], acc);
                }
            }

            expected[i] = acc;
            double error = Math.Abs(double.CreateTruncating(h[i]) - dense);
            worst = Math.Max(worst, error == 0 ? 0 : error / ((rows + 2) * eps * magnitude));
        }

        Assert.Equal(expected, h);
        Assert.True(worst <= 1, $"error {worst} times the dot-product bound");
    }
}
