using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.LinearAlgebra.Factorizations;
using StarNet.LinearAlgebra.Tests.Support;
using static StarNet.LinearAlgebra.Tests.Reference.ReferenceLapack;

namespace StarNet.LinearAlgebra.Tests.Lapack;

public sealed record QrCase(KernelConfig Config, int M, int N, double Kappa, int Panel, int Leaf, int Pad, double Scale, int Seed)
{
    public override string ToString() => $"{Config} m={M} n={N} kappa={Kappa:G2} panel={Panel} leaf={Leaf} pad={Pad} scale={Scale:G2} seed={Seed}";
}

public static class QrArbitraries
{
    /// <summary>
    /// Shapes: tall-skinny, square and (a few) wide; sizes at vector, leaf and panel boundaries; tiny panels and leaves
    /// (a leaf of 10 makes the streamed panel steps end on a group of two reflectors); leaves of 24 and 40 columns
    /// (whole panels as one leaf, as the 512-bit default blocking does; 512-bit sweeps with and without scalar
    /// columns and zero-padded leaf copies); a leaf of 16 in panels of 48 (streamed steps 32 columns wide, 512-bit
    /// register tiles); a leaf of 33 in panels of 36 (3-column streamed steps, vectorised along the reflectors);
    /// the unblocked path forced (panel -1) besides the default blocking, which
    /// takes it for small matrices.
    /// </summary>
    public static Arbitrary<QrCase> Qr() =>
        (from config in Generators.Config
         let max = Generators.MaxSize(config, 150)
         from n in Generators.Size(Math.Min(max, 72))
         from shape in Gen.Elements(1, 1, 2, 3)
         from extra in Generators.Size(max)
         let m = shape switch { 1 => n + extra, 2 => n, _ => Math.Max(1, n / 2) }
         from kappa in Gen.Elements(1.0, 1e3, 1e6)
         from blocking in Gen.Elements((0, 0), (0, 0), (-1, 0), (3, 1), (8, 2), (5, 4), (16, 8), (20, 10), (24, 24), (48, 40), (48, 16), (36, 33))
         from pad in Gen.Elements(0, 3)
         from scale in Gen.Frequency((6, Gen.Constant(1.0)), (1, Gen.Constant(1e-30)), (1, Gen.Constant(1e30)))
         from seed in Gen.Choose(0, int.MaxValue)
         select new QrCase(config, m, n, kappa, blocking.Item1, blocking.Item2, pad, scale, seed)).ToArbitrary();
}

/// <summary>
/// Householder QR against LAPACK's own test ratios (dqrt01) with its threshold of 30, on every SIMD path, with
/// tiny block sizes, strided views inside guarded storage, conditions up to 1e6, and scaling near underflow and
/// overflow (the careful reflector path).
/// </summary>
[Properties(Arbitrary = [typeof(QrArbitraries)], MaxTest = 40)]
public class QrProperties
{
    [Property]
    public void Qr_float_factorization_and_orthogonality_ratios_below_30(QrCase c) => Check<float>(c);

    [Property]
    public void Qr_double_factorization_and_orthogonality_ratios_below_30(QrCase c) => Check<double>(c);

    [Property]
    public void Qr_float_applies_Q_from_both_sides(QrCase c) => CheckApply<float>(c);

    [Property]
    public void Qr_double_applies_Q_from_both_sides(QrCase c) => CheckApply<double>(c);

    /// <summary>
    /// The 512-bit leaf and streamed kernels on every instruction set, also where the properties' emulated tiers keep
    /// matrices too small for them: whole panels as one leaf (64 and 32 columns, the 512-bit default blocking; the
    /// 36-column last panel of n = 100 is a zero-padded copy), 16-column leaves whose streamed steps update 32
    /// columns (two 512-bit vectors of float, four of double), and streamed steps on 3 or 4 columns (the thin form,
    /// along 33 or 4 reflectors), on one and two threads.
    /// </summary>
    [Theory]
    [InlineData(InstructionSet.Vector512, 64, 64)]
    [InlineData(InstructionSet.Vector512, 32, 32)]
    [InlineData(InstructionSet.Vector512, 48, 16)]
    [InlineData(InstructionSet.Vector512, 36, 33)]
    [InlineData(InstructionSet.Vector256, 36, 33)]
    [InlineData(InstructionSet.Vector256, 8, 4)]
    [InlineData(InstructionSet.Vector256, 64, 64)]
    [InlineData(InstructionSet.Vector256, 48, 16)]
    [InlineData(InstructionSet.Scalar, 64, 64)]
    [InlineData(InstructionSet.Scalar, 48, 16)]
    public void Qr_wide_leaves_and_streamed_steps_on_every_instruction_set(InstructionSet isa, int panel, int leaf)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            CheckBothPrecisions(TheoryCase(isa, threads, m: 150, n: 100, panel, leaf, seed: 17 + threads));
        }
    }

    /// <summary>
    /// Leaf sweeps split into row chunks (more than 4096 rows below the diagonal: three chunks, the first of which holds
    /// the rows above each statistics column) with float leaves of one, three and four whole vectors (16, 48 and 64
    /// columns with 512-bit vectors; 8, 24 and 32 with 256-bit ones); the double leaves of as many columns are two,
    /// six and eight vectors, the last two on the general sweep. An odd row count, so the two-rows-per-iteration loop
    /// ends on a single row; one and two threads.
    /// </summary>
    [Theory]
    [InlineData(InstructionSet.Vector512, 64)]
    [InlineData(InstructionSet.Vector512, 48)]
    [InlineData(InstructionSet.Vector512, 16)]
    [InlineData(InstructionSet.Vector256, 32)]
    [InlineData(InstructionSet.Vector256, 24)]
    [InlineData(InstructionSet.Vector256, 8)]
    [InlineData(InstructionSet.Scalar, 32)]
    public void Qr_leaf_sweeps_in_row_chunks_on_every_instruction_set(InstructionSet isa, int leaf)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            // The factorization's ratios only: the Q applications' checks form the full m x m Q.
            QrCase c = TheoryCase(isa, threads, m: 9001, n: (2 * leaf) + 1, panel: leaf, leaf, seed: 41 + threads);
            Check<float>(c);
            Check<double>(c);
        }
    }

    /// <summary>
    /// Trailing updates and Q applications whose long products stream down the rows (<c>BlockReflector.Streams</c>:
    /// under the block-size override, blocks of at least six panel widths of rows): 64-reflector blocks over 500 rows,
    /// whose last trailing update is one column (the thin form along 64 reflectors), and 32- and 16-reflector
    /// blocks, whose trailing blocks shrink from 97 columns to one; both precisions, one and two threads.
    /// </summary>
    [Theory]
    [InlineData(InstructionSet.Vector512, 64, 64)]
    [InlineData(InstructionSet.Vector512, 32, 16)]
    [InlineData(InstructionSet.Vector256, 64, 64)]
    [InlineData(InstructionSet.Vector256, 16, 16)]
    [InlineData(InstructionSet.Scalar, 64, 32)]
    public void Qr_streamed_trailing_updates_on_every_instruction_set(InstructionSet isa, int panel, int leaf)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            QrCase c = TheoryCase(isa, threads, m: 500, n: 129, panel, leaf, seed: 29 + threads);
            using (LapackTestKit.Apply(c.Config, panel, leaf))
            {
                // Every trailing update of this factorization takes the streamed products (the last one, of one
                // column, starts at row 128 - panel), and a block of fewer rows and more than one vector's columns
                // would not.
                Assert.True(BlockReflector.Streams<float>(c.M - 128 + panel, panel, 129 - panel), $"a {c.M - 128 + panel}-row block of {panel} reflectors should stream");
                Assert.False(BlockReflector.Streams<float>((6 * panel) - 1, panel, 129 - panel), "the streamed bound moved");
            }

            CheckBothPrecisions(c);
        }
    }

    /// <summary>A fixed case of the theories: condition 1e3, padded views, unscaled, on the given tier and threads.</summary>
    private static QrCase TheoryCase(InstructionSet isa, int threads, int m, int n, int panel, int leaf, int seed) =>
        new(new KernelConfig(isa, TinyBlocks: false, threads), m, n, Kappa: 1e3, panel, leaf, Pad: 3, Scale: 1.0, Seed: seed);

    private static void CheckBothPrecisions(QrCase c)
    {
        Check<float>(c);
        Check<double>(c);
        CheckApply<float>(c);
        CheckApply<double>(c);
    }

    private static double[,] Generate<T>(QrCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        double kappa = typeof(T) == typeof(float) ? Math.Min(c.Kappa, 1e3) : c.Kappa;
        double scale = typeof(T) == typeof(float) ? Math.Clamp(c.Scale, 1e-20, 1e20) : Math.Pow(c.Scale, 10);
        double[,] a = c.M > TallGeneratedRows ? GradedColumns(c.M, c.N, kappa, rng) : WithCondition(c.M, c.N, kappa, rng);
        for (int i = 0; i < c.M; i++)
        {
            for (int j = 0; j < c.N; j++)
            {
                a[i, j] *= scale;
            }
        }

        return LapackTestKit.Rounded<T>(a);
    }

    /// <summary>
    /// Rows above which a case's matrix is a Gaussian one with graded columns instead of U Sigma V^T: the random
    /// orthogonal U is m x m, so U Sigma V^T costs m^3 (minutes at 9001 rows).
    /// </summary>
    private const int TallGeneratedRows = 2048;

    /// <summary>A Gaussian m x n matrix whose column j is scaled by kappa^(-j / (n - 1)) (condition about kappa).</summary>
    private static double[,] GradedColumns(int m, int n, double kappa, Random rng)
    {
        double[,] a = Reference.ReferenceLapack.Random(m, n, rng);
        for (int j = 0; j < n; j++)
        {
            double sigma = n == 1 ? 1 : Math.Pow(kappa, -(double)j / (n - 1));
            for (int i = 0; i < m; i++)
            {
                a[i, j] *= sigma;
            }
        }

        return a;
    }

    private static void Check<T>(QrCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[,] a = Generate<T>(c);
        int m = c.M, n = c.N, k = Math.Min(m, n);
        PaddedMatrix<T> f = LapackTestKit.Padded<T>(a, c.Pad);
        var tau = new T[k + 2];
        tau[k] = tau[k + 1] = T.CreateTruncating(99);
        var q = new PaddedMatrix<T>(m, k, c.Pad, 1);
        using (LapackTestKit.Apply(c.Config, c.Panel, c.Leaf))
        {
            LinearAlgebra.Lapack.QrFactor(f.View, tau.AsSpan(0, k));
            LinearAlgebra.Lapack.QrFormQ<T>(f.View, tau, q.View);
        }

        Assert.True(f.GuardsIntact() && q.GuardsIntact(), $"QR wrote outside its views for {c}");
        Assert.True(tau[k] == T.CreateTruncating(99), "QR wrote past tau");
        double[,] fd = f.ToDouble(), qd = q.ToDouble();
        var r = new double[k, n];
        for (int i = 0; i < k; i++)
        {
            for (int j = i; j < n; j++)
            {
                r[i, j] = fd[i, j];
            }
        }

        double eps = LapackTestKit.Eps<T>();
        double factorRatio = Norm1(Subtract(a, Multiply(qd, r))) / (Math.Max(m, 1) * Norm1(a) * eps);
        double orthRatio = Norm1(Subtract(Identity(k), Multiply(Transpose(qd), qd))) / (Math.Max(m, 1) * eps);
        Assert.True(factorRatio <= LapackTestKit.Threshold, $"||A - QR|| / (m ||A|| eps) = {factorRatio} for {c}");
        Assert.True(orthRatio <= LapackTestKit.Threshold, $"||I - Q^T Q|| / (m eps) = {orthRatio} for {c}");
    }

    private static void CheckApply<T>(QrCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[,] a = Generate<T>(c);
        int m = c.M, k = Math.Min(m, c.N);
        var rng = new Random(c.Seed ^ 0x5a5a);
        double[,] left = LapackTestKit.Rounded<T>(Reference.ReferenceLapack.Random(m, 3, rng));
        double[,] right = LapackTestKit.Rounded<T>(Reference.ReferenceLapack.Random(2, m, rng));
        PaddedMatrix<T> cl = LapackTestKit.Padded<T>(left, c.Pad), cr = LapackTestKit.Padded<T>(right, c.Pad);
        PaddedMatrix<T> full = LapackTestKit.Padded<T>(Identity(m), c.Pad);
        double[,] thin;
        using (LapackTestKit.Apply(c.Config, c.Panel, c.Leaf))
        {
            var qr = new QrFactorization<T>(LapackTestKit.Padded<T>(a, 0).View);
            thin = LapackTestKit.ToDouble(qr.GetThinQ().AsReadOnlySpan());

            // Q^T (Q C) = C from the left; (C Q^T) Q = C from the right; Q I = Q.
            qr.ApplyQ(Side.Left, MatrixOp.None, cl.View);
            qr.ApplyQ(Side.Left, MatrixOp.Transpose, cl.View);
            qr.ApplyQ(Side.Right, MatrixOp.Transpose, cr.View);
            qr.ApplyQ(Side.Right, MatrixOp.None, cr.View);
            qr.ApplyQ(Side.Left, MatrixOp.None, full.View);
        }

        double eps = LapackTestKit.Eps<T>();
        double leftRatio = Norm1(Subtract(cl.ToDouble(), left)) / (m * Norm1(left) * eps);
        double rightRatio = Norm1(Subtract(cr.ToDouble(), right)) / (m * Norm1(right) * eps);
        double[,] fullQ = full.ToDouble();
        var fullThin = new double[m, k];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                fullThin[i, j] = fullQ[i, j];
            }
        }

        double thinRatio = Norm1(Subtract(fullThin, thin)) / (m * eps);
        double fullOrth = Norm1(Subtract(Identity(m), Multiply(Transpose(fullQ), fullQ))) / (m * eps);
        Assert.True(leftRatio <= LapackTestKit.Threshold, $"||Q^T Q C - C|| ratio {leftRatio} for {c}");
        Assert.True(rightRatio <= LapackTestKit.Threshold, $"||C Q^T Q - C|| ratio {rightRatio} for {c}");
        Assert.True(thinRatio <= LapackTestKit.Threshold, $"Q [I; 0] differs from the formed thin Q: ratio {thinRatio} for {c}");
        Assert.True(fullOrth <= LapackTestKit.Threshold, $"||I - Q^T Q|| for the full Q: ratio {fullOrth} for {c}");
        Assert.True(cl.GuardsIntact() && cr.GuardsIntact() && full.GuardsIntact(), $"ApplyQ wrote outside its views for {c}");
    }
}
