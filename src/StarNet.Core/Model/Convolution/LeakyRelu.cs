using System.Numerics;

namespace StarNet.Model.Convolution;

/// <summary>
/// Leaky ReLU and its exact inverse, element-wise and in place: the invertible activation of the paper's
/// experiments (negative slope 0.5, section 5).
/// </summary>
/// <remarks>TEMPORARY: replaced by the model's activation type once branch <c>model</c> lands.</remarks>
internal static class LeakyRelu
{
    public static void Apply<T>(Span<T> values, double negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T> => Scale(values, T.CreateTruncating(negativeSlope));

    public static void Invert<T>(Span<T> values, double negativeSlope)
        where T : unmanaged, IFloatingPointIeee754<T> => Scale(values, T.CreateTruncating(1.0 / negativeSlope));

    private static void Scale<T>(Span<T> values, T slope)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < T.Zero)
            {
                values[i] *= slope;
            }
        }
    }
}
