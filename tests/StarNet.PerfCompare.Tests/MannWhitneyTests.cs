namespace StarNet.PerfCompare.Tests;

public class MannWhitneyTests
{
    [Fact]
    public void Complete_separation_of_three_against_three_has_p_one_in_twenty()
    {
        Assert.Equal(1.0 / 20, MannWhitney.PGreater([4, 5, 6], [1, 2, 3]), 12);
        Assert.Equal(1.0, MannWhitney.PGreater([1, 2, 3], [4, 5, 6]), 12);
    }

    [Fact]
    public void Complete_separation_of_five_against_five_has_p_one_in_252()
    {
        Assert.Equal(1.0 / 252, MannWhitney.PGreater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]), 12);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 5)]
    [InlineData(6, 4)]
    [InlineData(7, 8)]
    public void Exact_distribution_matches_enumeration_of_every_ordering(int n1, int n2)
    {
        // Every way to choose which n1 of the ranks 1..n1+n2 belong to x; U = rank sum - n1 (n1 + 1) / 2.
        int n = n1 + n2;
        var counts = new Dictionary<int, int>();
        int total = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != n1)
            {
                continue;
            }

            int rankSum = Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 1).Sum(i => i + 1);
            int u = rankSum - n1 * (n1 + 1) / 2;
            counts[u] = counts.GetValueOrDefault(u) + 1;
            total++;
        }

        for (int u = 0; u <= n1 * n2; u++)
        {
            double expected = counts.Where(kv => kv.Key >= u).Sum(kv => kv.Value) / (double)total;
            Assert.Equal(expected, MannWhitney.ExactUpperTail(n1, n2, u), 12);
        }
    }

    [Fact]
    public void Normal_approximation_is_close_to_the_exact_test_for_fifteen_per_side()
    {
        double[] x = [.. Enumerable.Range(0, 15).Select(i => 100 + 3.1 * i)];
        double[] y = [.. Enumerable.Range(0, 15).Select(i => 90 + 2.9 * i + 0.05)];
        double exact = MannWhitney.PGreater(x, y);
        double normal = MannWhitney.NormalUpperTail(x, y);
        Assert.InRange(exact, 0.001, 0.2);
        Assert.InRange(normal, exact - 0.01, exact + 0.01);
    }

    [Fact]
    public void Ties_use_the_normal_approximation_and_all_equal_values_give_no_evidence()
    {
        Assert.Equal(1.0, MannWhitney.PGreater([5, 5, 5, 5], [5, 5, 5, 5]));
        double p = MannWhitney.PGreater([2, 2, 3, 3, 4], [1, 1, 2, 2, 3]);
        Assert.InRange(p, 0.01, 0.2);
    }

    [Fact]
    public void U_counts_ties_as_one_half()
    {
        Assert.Equal(1.5, MannWhitney.U([1, 2, 3], [2, 5]));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.157299207)]
    [InlineData(-1.0, 1.842700793)]
    [InlineData(2.5, 0.000406952)]
    public void Erfc_matches_reference_values(double x, double expected)
    {
        Assert.Equal(expected, Statistics.Erfc(x), 6);
    }

    [Fact]
    public void Median_of_even_and_odd_counts()
    {
        Assert.Equal(2, Statistics.Median([3, 1, 2]));
        Assert.Equal(2.5, Statistics.Median([4, 1, 3, 2]));
        Assert.True(double.IsNaN(Statistics.Median([])));
    }
}
