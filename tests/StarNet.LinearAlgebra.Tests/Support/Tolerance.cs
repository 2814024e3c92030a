namespace StarNet.LinearAlgebra.Tests.Support;

/// <summary>Unit roundoff of the element types, for error bounds stated as multiples of eps.</summary>
public static class Tolerance
{
    public static double Eps<T>() => typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);

    /// <summary>
    /// The worst componentwise error ratio |computed - exact| / (gamma * magnitude) with gamma = (k + 2) eps: the
    /// classical bound for a dot product of length k (Higham, Accuracy and Stability, 3.1) holds when it is at most 1.
    /// </summary>
    public static double ComponentwiseRatio<T>(ReadOnlySpan<double> computed, ReadOnlySpan<double> exact, ReadOnlySpan<double> magnitude, int k)
    {
        double gamma = (k + 2) * Eps<T>();
        double worst = 0;
        for (int i = 0; i < computed.Length; i++)
        {
            double err = Math.Abs(computed[i] - exact[i]);
            double bound = gamma * magnitude[i];
            double r = err == 0 ? 0 : bound == 0 ? double.PositiveInfinity : err / bound;
            if (double.IsNaN(computed[i]))
            {
                r = double.PositiveInfinity;
            }

            worst = Math.Max(worst, r);
        }

        return worst;
    }
}
