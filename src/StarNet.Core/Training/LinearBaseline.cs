using System.Diagnostics;
using System.Numerics;
using StarNet.Distributed;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Numerics;
using StarNet.Solvers;

namespace StarNet.Training;

/// <summary>
/// The linear baseline of a deep decoder (issue #8): the identity-activation single layer with the same code size,
/// trained to convergence. Alternating latent and weight solves with the identity converge to the best affine rank-d
/// fit of the data, the PCA fit; this computes that fit directly: the data's mean and covariance (in double, one SYRK
/// over the datapoints), then block subspace iteration with Rayleigh-Ritz on the D x D covariance until the variance
/// the top d directions capture no longer changes (relative 1e-10). The result is an ordinary model, so its train and
/// test MSE are measured by inference like any other.
/// </summary>
public static class LinearBaseline
{
    private const int MaxIterations = 3000;
    private const int CheckEvery = 5;
    private const double Tolerance = 1e-10;

    /// <summary>Fits the linear baseline of code size <paramref name="codeSize"/> to <paramref name="data"/> and measures it on the data and, when given, on <paramref name="testData"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="data">N x D training datapoints, N &gt;= 2.</param>
    /// <param name="testData">M x D test datapoints, or an empty view for none.</param>
    /// <param name="codeSize">d, 1 to D.</param>
    /// <param name="degreeOfParallelism">Threads for the linear algebra; null for the engine's default.</param>
    /// <param name="seed">Seed of the starting subspace.</param>
    /// <param name="cancellationToken">Stops between iterations.</param>
    /// <returns>The model and its measurements.</returns>
    /// <exception cref="ArgumentException">The code size is out of range, there are fewer than 2 datapoints, or the test data has another width.</exception>
    public static LinearBaselineResult<T> Train<T>(ReadOnlyMatrixSpan<T> data, ReadOnlyMatrixSpan<T> testData, int codeSize, int? degreeOfParallelism = null, ulong seed = 0, CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = data.Rows, dim = data.Cols;
        if (codeSize < 1 || codeSize > dim)
        {
            throw new ArgumentOutOfRangeException(nameof(codeSize), codeSize, $"The code size must be from 1 to the data width {dim}.");
        }

        if (n < 2)
        {
            throw new ArgumentException($"The linear baseline needs at least 2 datapoints; got {n}.", nameof(data));
        }

        if (testData.Rows > 0 && testData.Cols != dim)
        {
            throw new ArgumentException($"testData has {testData.Cols} columns; the data has {dim}.", nameof(testData));
        }

        using IDisposable scope = LinearAlgebraSettings.Override(degreeOfParallelism: degreeOfParallelism ?? LinearAlgebraSettings.DegreeOfParallelism);
        long start = Stopwatch.GetTimestamp();
        (double[] mean, Matrix<double> covariance) = LatentGauge.Moments(data, TrainingShard.Create(SingleProcessCommunicator.Instance, n));
        (Matrix<double> basis, int iterations) = TopSubspace(covariance, codeSize, seed, cancellationToken);

        var weight = new Matrix<T>(dim, codeSize);
        for (int i = 0; i < dim; i++)
        {
            for (int j = 0; j < codeSize; j++)
            {
                weight[i, j] = T.CreateTruncating(basis[i, j]);
            }
        }

        var layer = new DenseLayer<T>(weight.AsReadOnlySpan(), [.. mean.Select(v => T.CreateTruncating(v))]);
        var model = new StarNetModel<T>(new DecoderArchitecture([codeSize, dim], Activation.Identity), [layer]);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double trainMse = model.Evaluate(data).Mse;
        double? testMse = testData.Rows > 0 ? model.Evaluate(testData).Mse : null;
        return new LinearBaselineResult<T>(model, codeSize, trainMse, testMse, iterations, seconds);
    }

    /// <summary>
    /// An orthonormal basis (D x d) of the top-d eigenvectors of the symmetric <paramref name="covariance"/>, in descending
    /// order: subspace iteration on d + max(8, d / 2) vectors, Rayleigh-Ritz every few iterations.
    /// </summary>
    internal static (Matrix<double> Basis, int Iterations) TopSubspace(Matrix<double> covariance, int d, ulong seed, CancellationToken cancellationToken)
    {
        int dim = covariance.Rows;
        int p = Math.Min(dim, d + Math.Max(8, d / 2));
        var q = new Matrix<double>(dim, p);
        DeterministicRandom.ForStream(seed, 0xBA5E).FillGaussian(q.Span);
        LayerSolver.OrthonormalizeColumns(q.AsSpan());
        var y = new Matrix<double>(dim, p);
        var small = new Matrix<double>(p, p);
        var vectors = new Matrix<double>(p, p);
        var values = new double[p];
        double previous = double.NaN;
        int iteration = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            Blas.Gemm(1.0, covariance.AsReadOnlySpan(), MatrixOp.None, q.AsReadOnlySpan(), MatrixOp.None, 0.0, y.AsSpan());
            bool last = iteration >= MaxIterations || p == dim;
            if (iteration % CheckEvery == 0 || last)
            {
                // Rayleigh-Ritz: Q^T C Q = V diag V^T; the top d values sum to the captured variance.
                Blas.Gemm(1.0, q.AsReadOnlySpan(), MatrixOp.Transpose, y.AsReadOnlySpan(), MatrixOp.None, 0.0, small.AsSpan());
                SymmetricEigen.Decompose(small.AsReadOnlySpan(), values, vectors.AsSpan());
                double captured = values.AsSpan(0, d).ToArray().Sum();
                if (last || Math.Abs(captured - previous) <= Tolerance * Math.Abs(captured))
                {
                    var basis = new Matrix<double>(dim, d);
                    Blas.Gemm(1.0, q.AsReadOnlySpan(), MatrixOp.None, vectors.AsReadOnlySpan().Slice(0, 0, p, d), MatrixOp.None, 0.0, basis.AsSpan());
                    return (basis, iteration);
                }

                previous = captured;

                // Continue from the Ritz vectors' images C Q V: the next Q^T C Q is then nearly diagonal, which Jacobi
                // finishes in a sweep or two.
                Blas.Gemm(1.0, y.AsReadOnlySpan(), MatrixOp.None, vectors.AsReadOnlySpan(), MatrixOp.None, 0.0, q.AsSpan());
            }
            else
            {
                y.AsReadOnlySpan().CopyTo(q.AsSpan());
            }

            LayerSolver.OrthonormalizeColumns(q.AsSpan());
        }
    }
}
