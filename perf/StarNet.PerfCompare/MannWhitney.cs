namespace StarNet.PerfCompare;

/// <summary>
/// The Mann-Whitney U (Wilcoxon rank-sum) test, one-sided. Exact null distribution when there are no ties and the
/// samples are small (n1 + n2 &lt;= <see cref="ExactLimit"/>); otherwise the normal approximation with tie and
/// continuity corrections.
/// </summary>
public static class MannWhitney
{
    /// <summary>Largest combined sample size for which the exact distribution is used.</summary>
    public const int ExactLimit = 50;

    /// <summary>U of <paramref name="x"/>: pairs (x_i, y_j) with x_i &gt; y_j, ties counting one half.</summary>
    public static double U(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double u = 0;
        foreach (double xi in x)
        {
            foreach (double yj in y)
            {
                u += xi > yj ? 1 : xi == yj ? 0.5 : 0;
            }
        }

        return u;
    }

    /// <summary>
    /// One-sided p-value for the alternative "values of <paramref name="x"/> tend to be greater than values of
    /// <paramref name="y"/>": the probability under the null hypothesis of a U at least as large as observed.
    /// </summary>
    public static double PGreater(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("Both samples need at least one value.");
        }

        double[] all = [.. x, .. y];
        bool ties = all.Distinct().Count() != all.Length;
        return !ties && n1 + n2 <= ExactLimit ? ExactUpperTail(n1, n2, (int)Math.Round(U(x, y))) : NormalUpperTail(x, y);
    }

    /// <summary>
    /// P(U &gt;= observed U) from the normal approximation, with the tie correction of the variance and a continuity
    /// correction of one half.
    /// </summary>
    public static double NormalUpperTail(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count, n = n1 + n2;
        double[] all = [.. x, .. y];
        double tieSum = all.GroupBy(v => v).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double variance = n1 * (double)n2 / 12 * (n + 1 - tieSum / (n * (n - 1.0)));
        if (variance <= 0)
        {
            return 1; // every value equal: no evidence either way
        }

        double z = (U(x, y) - n1 * (double)n2 / 2 - 0.5) / Math.Sqrt(variance);
        return Statistics.NormalUpperTail(z);
    }

    /// <summary>P(U &gt;= u) under the null hypothesis, without ties, from the exact distribution of U.</summary>
    public static double ExactUpperTail(int n1, int n2, int u)
    {
        double[] counts = ExactCounts(n1, n2);
        double total = counts.Sum();
        double tail = 0;
        for (int k = Math.Max(u, 0); k < counts.Length; k++)
        {
            tail += counts[k];
        }

        return Math.Min(1, tail / total);
    }

    /// <summary>
    /// Number of orderings of n1 + n2 distinct values giving each U = 0 .. n1*n2: the coefficients of the Gaussian
    /// binomial coefficient [n1+n2 choose n1]_q, built as the product over i of (1 - q^(n2+i)) / (1 - q^i).
    /// </summary>
    private static double[] ExactCounts(int n1, int n2)
    {
        int max = n1 * n2;
        var c = new double[max + 1];
        c[0] = 1;
        for (int i = 1; i <= n1; i++)
        {
            int up = n2 + i;
            for (int k = max; k >= up; k--)
            {
                c[k] -= c[k - up];
            }

            for (int k = i; k <= max; k++)
            {
                c[k] += c[k - i];
            }
        }

        return c;
    }
}
