using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;

namespace StarNet.Core.Tests.Model;

public class LatentGaussianTests
{
    private static readonly double[] Mean = [1.0, -2.0, 0.5];
    private static readonly double[,] L = { { 2.0, 0, 0 }, { 0.6, 0.8, 0 }, { -0.3, 0.4, 0.5 } };

    private static LatentGaussian<double> Known() =>
        new(Mean, new ReadOnlyMatrixSpan<double>([.. L.Cast<double>()], 3, 3));

    [Fact]
    public void Fitting_samples_of_a_known_gaussian_recovers_its_mean_and_factor()
    {
        var samples = new Matrix<double>(40000, 3);
        Known().Sample(samples.AsSpan(), seed: 5);
        LatentGaussian<double> fit = LatentGaussian<double>.Fit(samples.AsReadOnlySpan());
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Mean[i], fit.Mean[i], 1);
            for (int j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs(L[i, j] - fit.CholeskyFactor[i, j]) < 0.03, $"L[{i},{j}] = {fit.CholeskyFactor[i, j]} vs {L[i, j]}");
            }
        }

        Assert.Equal(0.0, fit.Jitter);
    }

    [Fact]
    public void Sampling_is_reproducible_by_seed()
    {
        var a = new Matrix<float>(10, 3);
        var b = new Matrix<float>(10, 3);
        var c = new Matrix<float>(10, 3);
        var g = new LatentGaussian<float>([1f, 2f, 3f], new ReadOnlyMatrixSpan<float>([1f, 0, 0, 0.5f, 1f, 0, 0, 0, 2f], 3, 3));
        g.Sample(a.AsSpan(), 9);
        g.Sample(b.AsSpan(), 9);
        g.Sample(c.AsSpan(), 10);
        Assert.True(Synthetic.BitIdentical(a.AsReadOnlySpan(), b.AsReadOnlySpan()));
        Assert.False(Synthetic.BitIdentical(a.AsReadOnlySpan(), c.AsReadOnlySpan()));
    }

    [Fact]
    public void Degenerate_latents_get_a_recorded_jitter()
    {
        var latents = new Matrix<double>(100, 3);
        for (int r = 0; r < 100; r++)
        {
            latents[r, 0] = r;
            latents[r, 1] = 2 * r;
            latents[r, 2] = 1;
        }

        LatentGaussian<double> fit = LatentGaussian<double>.Fit(latents.AsReadOnlySpan());
        Assert.True(fit.Jitter > 0);
    }

    [Fact]
    public void The_factor_must_be_lower_triangular_with_a_positive_diagonal()
    {
        Assert.Throws<ArgumentException>(() => new LatentGaussian<double>([0.0, 0.0], new ReadOnlyMatrixSpan<double>([1.0, 0.1, 0, 1.0], 2, 2)));
        Assert.Throws<ArgumentException>(() => new LatentGaussian<double>([0.0, 0.0], new ReadOnlyMatrixSpan<double>([1.0, 0, 0, -1.0], 2, 2)));
        Assert.Throws<ArgumentException>(() => new LatentGaussian<double>([0.0], new ReadOnlyMatrixSpan<double>([1.0, 0, 0, 1.0], 2, 2)));
        Assert.Throws<ArgumentException>(() => LatentGaussian<double>.Fit(new Matrix<double>(1, 2).AsReadOnlySpan()));
    }
}
