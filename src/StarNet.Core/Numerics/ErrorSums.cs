using System.Numerics;
using System.Numerics.Tensors;

namespace StarNet.Numerics;

/// <summary>Sums of squared and absolute errors, the parts of the MSE and the paper's elastic loss (mean |e| + mean e^2).</summary>
internal static class ErrorSums
{
    /// <summary>
    /// Writes the error <c>prediction - target</c> to <paramref name="difference"/> (which may be the prediction's
    /// storage) and returns the row's sum of squares and sum of magnitudes. Row sums are taken in T (SIMD);
    /// callers add rows up in double, in row order.
    /// </summary>
    public static (double Squares, double Magnitudes) Of<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> difference)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Subtract(prediction, target, difference);
        return (double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(difference)), double.CreateTruncating(TensorPrimitives.SumOfMagnitudes<T>(difference)));
    }

    /// <summary>MSE and elastic loss from the totals over <paramref name="count"/> values.</summary>
    public static (double Mse, double Elastic) Losses(double squares, double magnitudes, double count)
    {
        double mse = squares / count;
        return (mse, (magnitudes / count) + mse);
    }
}
