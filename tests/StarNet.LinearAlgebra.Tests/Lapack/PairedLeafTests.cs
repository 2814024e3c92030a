using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;
using StarNet.LinearAlgebra.Kernels;
using Xunit.Abstractions;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// The two-reflectors-per-sweep leaf (<see cref="PairedLeafFactorization"/>): LAPACK's ratios on matrices whose adjacent
/// columns are nearly parallel, so that the second reflector's downdated Gram row would lose its accuracy and the
/// recompute rule must fall back to one reflector per sweep; a mutation check that turning the rule off breaks the
/// orthogonality ratio (so these tests can see the rule); and the leaf on 256-bit vectors, which production uses only
/// with AVX-512 but the AVX2 CI tier must still exercise.
/// </summary>
public class PairedLeafTests
{
    private readonly ITestOutputHelper _output;

    public PairedLeafTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// Columns 3k + 1 = column 3k + delta * noise: after reflector 3k, column 3k + 1 keeps only about delta^2 of its
    /// squared norm below row 3k, far under the rule's quarter, so the pair (3k, 3k + 1) must be split. A split moves
    /// the pairing on by one column, so the next step pairs 3k + 1 with 3k + 2 and lands on 3k + 3 again: every
    /// nearly parallel pair inside a leaf is met as a pair, except at most one per leaf where the leaf's start shifts
    /// the pairing.
    /// </summary>
    [Theory]
    [InlineData(InstructionSet.Vector512)]
    [InlineData(InstructionSet.Vector256)]
    public void Nearly_parallel_adjacent_columns_fall_back_to_one_reflector_and_stay_accurate(InstructionSet isa)
    {
        int n = 45;
        double[,] a = NearlyParallelPairs(700, n, 1e-6, seed: 11);
        Ratios r = Factor<double>(a, isa, disableRule: false, out long pairs, out long singles, out int leaf, out bool applied);
        _output.WriteLine($"{isa}: leaf {leaf}, pairs {pairs}, singles {singles}, ||A - QR|| ratio {r.Factor:G3}, ||I - Q^T Q|| ratio {r.Orthogonality:G3}");
        Assert.True(r.Factor <= LapackTestKit.Threshold, $"||A - QR|| / (m ||A|| eps) = {r.Factor}");
        Assert.True(r.Orthogonality <= LapackTestKit.Threshold, $"||I - Q^T Q|| / (m eps) = {r.Orthogonality}");
        if (applied)
        {
            int parallelPairs = (n + 1) / 3, leaves = (n + leaf - 1) / leaf;
            Assert.True(singles >= parallelPairs - leaves, $"only {singles} one-reflector steps for {parallelPairs} nearly parallel pairs in {leaves} leaves: the recompute rule did not split them");
        }
        else
        {
            _output.WriteLine($"The paired leaf does not run on {LinearAlgebraSettings.Describe()}; the one-reflector leaf was checked.");
        }
    }

    /// <summary>The mutation check: with the recompute rule off, the same matrix breaks LAPACK's orthogonality ratio.</summary>
    [Fact]
    public void Without_the_recompute_rule_nearly_parallel_columns_lose_orthogonality()
    {
        double[,] a = NearlyParallelPairs(700, 45, 1e-6, seed: 11);
        Ratios r = Factor<double>(a, InstructionSet.Vector512, disableRule: true, out long pairs, out _, out _, out bool applied);
        _output.WriteLine($"rule off: pairs {pairs}, ||I - Q^T Q|| ratio {r.Orthogonality:G3}");
        if (!applied)
        {
            _output.WriteLine($"Not checked: the paired leaf does not run on {LinearAlgebraSettings.Describe()}.");
            return;
        }

        Assert.True(r.Orthogonality > 1000 * LapackTestKit.Threshold, $"with the rule off the ratio is {r.Orthogonality}: the tests cannot see the rule");
    }

    /// <summary>Well-conditioned tall matrices take pairs (the fast path is used) and meet LAPACK's ratios, both precisions, both widths.</summary>
    [Theory]
    [InlineData(InstructionSet.Vector512, 5000, 37)]
    [InlineData(InstructionSet.Vector512, 9000, 130)]
    [InlineData(InstructionSet.Vector256, 5000, 37)]
    [InlineData(InstructionSet.Vector256, 9000, 130)]
    public void Tall_matrices_pair_their_reflectors_and_meet_the_ratios(InstructionSet isa, int m, int n)
    {
        var rng = new Random(m + n);
        var a = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = Gaussian(rng) * Math.Pow(1e3, -(double)j / (n - 1));
            }
        }

        Check<double>(LapackTestKit.Rounded<double>(a));
        Check<float>(LapackTestKit.Rounded<float>(a));

        void Check<T>(double[,] x)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Ratios r = Factor<T>(x, isa, disableRule: false, out long pairs, out long singles, out _, out bool applied);
            _output.WriteLine($"{typeof(T).Name} {isa} {m}x{n}: pairs {pairs}, singles {singles}, ratios {r.Factor:G3} / {r.Orthogonality:G3}");
            Assert.True(r.Factor <= LapackTestKit.Threshold, $"{typeof(T).Name}: ||A - QR|| / (m ||A|| eps) = {r.Factor}");
            Assert.True(r.Orthogonality <= LapackTestKit.Threshold, $"{typeof(T).Name}: ||I - Q^T Q|| / (m eps) = {r.Orthogonality}");
            if (applied)
            {
                Assert.True(pairs >= n / 4, $"{typeof(T).Name}: only {pairs} paired steps for {n} columns");
            }
        }
    }

    private static double[,] NearlyParallelPairs(int m, int n, double delta, int seed)
    {
        var rng = new Random(seed);
        var a = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = j % 3 == 1 ? a[i, j - 1] + (delta * Gaussian(rng)) : Gaussian(rng);
            }
        }

        return LapackTestKit.Rounded<double>(a);
    }

    /// <summary>
    /// Factors a copy of <paramref name="a"/> with the blocked QR (leaves of four vectors, panels of two leaves, so the
    /// leaf is reached at these sizes) on the given vectors, the paired leaf allowed on 256-bit ones, and returns
    /// LAPACK's ratios.
    /// </summary>
    private static Ratios Factor<T>(double[,] a, InstructionSet isa, bool disableRule, out long pairs, out long singles, out int leaf, out bool applied)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var f = new Matrix<T>(m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                f[i, j] = T.CreateTruncating(a[i, j]);
            }
        }

        var tau = new T[n];
        long pairs0 = PairedLeafFactorization.PairSteps, singles0 = PairedLeafFactorization.SingleSteps;
        PairedLeafFactorization.DisableRecomputeRule = disableRule;
        try
        {
            using (LinearAlgebraSettings.Override(isa, null, null))
            {
                leaf = 4 * RowVectorLanes.Count<T>(LinearAlgebraSettings.ActiveInstructionSet);
                applied = PairedLeafFactorization.Applies<T>(leaf, out _);
            }

            using (LinearAlgebraSettings.Override(isa, null, null))
            using (QrBlocking.Override(2 * leaf, leaf))
            {
                LinearAlgebra.Lapack.QrFactor(f.AsSpan(), tau);
            }
        }
        finally
        {
            PairedLeafFactorization.DisableRecomputeRule = false;
        }

        pairs = PairedLeafFactorization.PairSteps - pairs0;
        singles = PairedLeafFactorization.SingleSteps - singles0;
        var q = new Matrix<T>(m, n);
        LinearAlgebra.Lapack.QrFormQ<T>(f.AsReadOnlySpan(), tau, q.AsSpan());
        double[,] qd = LapackTestKit.ToDouble(q.AsReadOnlySpan());
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                r[i, j] = double.CreateTruncating(f[i, j]);
            }
        }

        double eps = LapackTestKit.Eps<T>();
        return new Ratios(
            Norm1(Subtract(a, Multiply(qd, r))) / (m * Norm1(a) * eps),
            Norm1(Subtract(Identity(n), Multiply(Transpose(qd), qd))) / (m * eps));
    }

    private readonly record struct Ratios(double Factor, double Orthogonality);
}
