using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>The linear baseline (issue #8) is the PCA fit: compared with a reference PCA computed plainly here (a textbook Jacobi eigen-solver on the covariance).</summary>
public class LinearBaselineTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(11, 4)]
    [InlineData(12, 5)]
    public void The_baseline_equals_a_reference_pca_fit(int codeSize, int seed)
    {
        const int n = 300, dim = 12;
        Matrix<double> x = CorrelatedData(n, dim, seed);
        Matrix<double> test = CorrelatedData(50, dim, seed + 100);
        LinearBaselineResult<double> baseline = LinearBaseline.Train(x.AsReadOnlySpan(), test.AsReadOnlySpan(), codeSize);

        (double[] mean, double[,] axes) = ReferencePca(x, codeSize);
        Matrix<double> reference = Project(x, mean, axes, codeSize);
        double referenceMse = MeanSquareError(reference, x);
        Assert.Equal(referenceMse, baseline.TrainMse, 1e-9 * Math.Max(referenceMse, 1e-12));
        Assert.Equal(MeanSquareError(Project(test, mean, axes, codeSize), test), baseline.TestMse!.Value, 1e-9);

        // The model reconstructs every datapoint as the reference projection does (encode, then decode).
        var reconstruction = new Matrix<double>(n, dim);
        baseline.Model.Reconstruct(x.AsReadOnlySpan(), reconstruction.AsSpan());
        Assert.True(Synthetic.MaxAbsDifference(reference.AsReadOnlySpan(), reconstruction.AsReadOnlySpan()) < 1e-8);
        Assert.Equal(ActivationKind.Identity, baseline.Model.Architecture.Activation.Kind);
        Assert.Equal(new[] { codeSize, dim }, baseline.Model.Architecture.Widths);
    }

    [Fact]
    public void Bad_code_sizes_and_too_little_data_are_refused()
    {
        Matrix<double> x = CorrelatedData(10, 4, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearBaseline.Train(x.AsReadOnlySpan(), default, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinearBaseline.Train(x.AsReadOnlySpan(), default, 5));
        Assert.Throws<ArgumentException>(() => LinearBaseline.Train(x.AsReadOnlySpan().Slice(0, 0, 1, 4), default, 2));
    }

    /// <summary>Gaussian data with decaying, distinct variances along random directions and a non-zero mean.</summary>
    private static Matrix<double> CorrelatedData(int n, int dim, int seed)
    {
        Matrix<double> z = Synthetic.Gaussian<double>(n, dim, seed);
        Matrix<double> mix = Synthetic.Gaussian<double>(dim, dim, 1000 + (seed % 7));
        var x = new Matrix<double>(n, dim);
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < dim; j++)
            {
                double v = 0.3 * j;
                for (int k = 0; k < dim; k++)
                {
                    v += z[r, k] * Math.Pow(0.7, k) * mix[k, j];
                }

                x[r, j] = v;
            }
        }

        return x;
    }

    /// <summary>The mean and the top principal axes (columns, by descending variance) from the covariance by cyclic Jacobi rotations.</summary>
    private static (double[] Mean, double[,] Axes) ReferencePca(Matrix<double> x, int codeSize)
    {
        int n = x.Rows, dim = x.Cols;
        var mean = new double[dim];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < dim; j++)
            {
                mean[j] += x[r, j] / n;
            }
        }

        var a = new double[dim, dim];
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < dim; i++)
            {
                for (int j = 0; j < dim; j++)
                {
                    a[i, j] += (x[r, i] - mean[i]) * (x[r, j] - mean[j]) / n;
                }
            }
        }

        var v = new double[dim, dim];
        for (int i = 0; i < dim; i++)
        {
            v[i, i] = 1;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            for (int p = 0; p < dim; p++)
            {
                for (int q = p + 1; q < dim; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    // The rotation angle that zeroes a[p, q]: tan(2 theta) = 2 a_pq / (a_qq - a_pp).
                    double theta = 0.5 * Math.Atan2(2 * a[p, q], a[q, q] - a[p, p]);
                    double c = Math.Cos(theta), s = Math.Sin(theta);
                    for (int k = 0; k < dim; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = (c * akp) - (s * akq);
                        a[k, q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < dim; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = (c * apk) - (s * aqk);
                        a[q, k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < dim; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = (c * vkp) - (s * vkq);
                        v[k, q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        int[] order = [.. Enumerable.Range(0, dim).OrderByDescending(i => a[i, i])];
        var axes = new double[dim, codeSize];
        for (int k = 0; k < codeSize; k++)
        {
            for (int i = 0; i < dim; i++)
            {
                axes[i, k] = v[i, order[k]];
            }
        }

        return (mean, axes);
    }

    private static Matrix<double> Project(Matrix<double> x, double[] mean, double[,] axes, int codeSize)
    {
        var result = new Matrix<double>(x.Rows, x.Cols);
        for (int r = 0; r < x.Rows; r++)
        {
            for (int k = 0; k < codeSize; k++)
            {
                double coefficient = 0;
                for (int j = 0; j < x.Cols; j++)
                {
                    coefficient += (x[r, j] - mean[j]) * axes[j, k];
                }

                for (int j = 0; j < x.Cols; j++)
                {
                    result[r, j] += coefficient * axes[j, k];
                }
            }

            for (int j = 0; j < x.Cols; j++)
            {
                result[r, j] += mean[j];
            }
        }

        return result;
    }

    private static double MeanSquareError(Matrix<double> a, Matrix<double> b)
    {
        double s = 0;
        for (int r = 0; r < a.Rows; r++)
        {
            for (int j = 0; j < a.Cols; j++)
            {
                s += (a[r, j] - b[r, j]) * (a[r, j] - b[r, j]);
            }
        }

        return s / ((double)a.Rows * a.Cols);
    }
}
