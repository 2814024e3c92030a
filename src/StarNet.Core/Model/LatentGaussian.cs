using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Numerics;
using StarNet.Solvers;

namespace StarNet.Model;

/// <summary>
/// A full-covariance Gaussian over latent codes, <c>N(mean, L L^T)</c> with its lower Cholesky factor L: fitted to
/// the training set's first-layer latents, it turns the decoder into a generator (new codes are sampled from it
/// and decoded).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class LatentGaussian<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _mean;
    private readonly Matrix<T> _cholesky;

    /// <summary>Creates the distribution from its mean and the lower Cholesky factor of its covariance.</summary>
    /// <param name="mean">The mean, d values.</param>
    /// <param name="choleskyFactor">L, d x d, lower triangular with a positive diagonal (the strict upper triangle must be zero).</param>
    /// <param name="jitter">The diagonal jitter that was added to the covariance to make it positive definite (informational).</param>
    /// <exception cref="ArgumentException">The shapes disagree, L is not lower triangular with a positive diagonal, or a value is not finite.</exception>
    public LatentGaussian(ReadOnlySpan<T> mean, ReadOnlyMatrixSpan<T> choleskyFactor, double jitter = 0)
    {
        int d = mean.Length;
        if (d == 0 || choleskyFactor.Rows != d || choleskyFactor.Cols != d)
        {
            throw new ArgumentException($"The mean has {d} values but the Cholesky factor is {choleskyFactor.Rows}x{choleskyFactor.Cols}; it must be {d}x{d} with d >= 1.", nameof(choleskyFactor));
        }

        for (int i = 0; i < d; i++)
        {
            if (!T.IsFinite(mean[i]))
            {
                throw new ArgumentException($"Mean entry {i} is not finite.", nameof(mean));
            }

            for (int j = 0; j < d; j++)
            {
                T v = choleskyFactor[i, j];
                if (!T.IsFinite(v) || (j > i && v != T.Zero) || (j == i && !(v > T.Zero)))
                {
                    throw new ArgumentException($"Cholesky factor entry ({i}, {j}) = {v}: L must be finite and lower triangular with a positive diagonal.", nameof(choleskyFactor));
                }
            }
        }

        _mean = mean.ToArray();
        _cholesky = Matrix<T>.CopyOf(choleskyFactor);
        Jitter = jitter;
    }

    /// <summary>d_0, the dimension.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The mean.</summary>
    public ReadOnlySpan<T> Mean => _mean;

    /// <summary>L, the lower Cholesky factor of the covariance (covariance = L L^T).</summary>
    public ReadOnlyMatrixSpan<T> CholeskyFactor => _cholesky.AsReadOnlySpan();

    /// <summary>The diagonal jitter added to the sample covariance before factoring (0 when none was needed).</summary>
    public double Jitter { get; }

    /// <summary>
    /// Fits mean and covariance (divisor N - 1) to latents, one per row. If the sample covariance is not
    /// numerically positive definite, a jitter of 1e-10, 1e-9, ... times its mean diagonal is added until it is,
    /// and recorded in <see cref="Jitter"/>.
    /// </summary>
    /// <param name="latents">N x d latent codes, N &gt;= 2.</param>
    /// <exception cref="ArgumentException">Fewer than two rows.</exception>
    /// <exception cref="InvalidOperationException">No jitter up to the mean diagonal itself makes the covariance positive definite (NaN in the latents).</exception>
    public static LatentGaussian<T> Fit(ReadOnlyMatrixSpan<T> latents) => Fit(latents, SingleProcessCommunicator.Instance);

    /// <summary>
    /// Fits to the latents of every rank of a distributed job, each rank passing its own rows (collective): the
    /// count, the sums and the centred cross-products are all-reduced, so every rank gets the fit of all rows.
    /// </summary>
    /// <param name="latents">This rank's latent codes, one per row; N &gt;= 2 over all ranks.</param>
    /// <param name="communicator">The job.</param>
    /// <exception cref="ArgumentException">Fewer than two rows in all.</exception>
    /// <exception cref="InvalidOperationException">No jitter makes the covariance positive definite.</exception>
    public static LatentGaussian<T> Fit(ReadOnlyMatrixSpan<T> latents, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        bool distributed = communicator.Size > 1;
        long n = latents.Rows;
        int d = latents.Cols;
        if (distributed)
        {
            Span<double> count = [n];
            communicator.AllReduceSum(count);
            n = (long)count[0];
        }

        if (n < 2 || d < 1)
        {
            throw new ArgumentException($"Fitting a Gaussian needs at least 2 latents of dimension >= 1; got {n}x{d}.", nameof(latents));
        }

        var sum = new double[d];
        for (int r = 0; r < latents.Rows; r++)
        {
            ReadOnlySpan<T> row = latents.Row(r);
            for (int j = 0; j < d; j++)
            {
                sum[j] += double.CreateTruncating(row[j]);
            }
        }

        if (distributed)
        {
            communicator.AllReduceSum(sum);
        }

        var mean = new T[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = T.CreateTruncating(sum[j] / n);
        }

        var centred = new Matrix<T>(latents.Rows, d);
        for (int r = 0; r < latents.Rows; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(latents.Row(r), mean, centred.AsSpan().Row(r));
        }

        var covariance = new Matrix<T>(d, d);
        Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, T.One / T.CreateTruncating(n - 1), centred.AsReadOnlySpan(), T.Zero, covariance.AsSpan());
        if (distributed)
        {
            double[] shares = [.. covariance.Span.ToArray().Select(v => double.CreateTruncating(v))];
            communicator.AllReduceSum(shares);
            for (int i = 0; i < shares.Length; i++)
            {
                covariance.Span[i] = T.CreateTruncating(shares[i]);
            }
        }
        double meanDiagonal = 0;
        for (int i = 0; i < d; i++)
        {
            meanDiagonal += double.CreateTruncating(covariance[i, i]) / d;
        }

        var factor = new Matrix<T>(d, d);
        double jitter = 0;
        for (int attempt = 0; attempt <= 11; attempt++)
        {
            covariance.AsReadOnlySpan().CopyTo(factor.AsSpan());
            for (int i = 0; i < d; i++)
            {
                factor[i, i] += T.CreateTruncating(jitter);
            }

            if (LayerSolver.TryCholesky(factor.AsSpan()))
            {
                return new LatentGaussian<T>(mean, factor.AsReadOnlySpan(), jitter);
            }

            jitter = meanDiagonal * Math.Pow(10, attempt - 10);
        }

        throw new InvalidOperationException($"The covariance of the {n} latents ({d} dimensions) is not positive definite even with a jitter of {jitter}; the latents may hold NaN or infinity.");
    }

    /// <summary>Draws one latent code per row of <paramref name="destination"/>: <c>z = mean + L e</c>, e standard normal.</summary>
    /// <param name="destination">Receives count x d codes.</param>
    /// <param name="seed">Seed; the same seed gives the same codes on every machine.</param>
    /// <exception cref="ArgumentException">The destination has the wrong width.</exception>
    public void Sample(MatrixSpan<T> destination, ulong seed)
    {
        if (destination.Cols != Dimension)
        {
            throw new ArgumentException($"The destination has {destination.Cols} columns; the latent dimension is {Dimension}.", nameof(destination));
        }

        var random = new DeterministicRandom(seed);
        var noise = new Matrix<T>(destination.Rows, Dimension);
        random.FillGaussian(noise.Span);
        for (int r = 0; r < destination.Rows; r++)
        {
            _mean.CopyTo(destination.Row(r));
        }

        Blas.Gemm(T.One, noise.AsReadOnlySpan(), MatrixOp.None, _cholesky.AsReadOnlySpan(), MatrixOp.Transpose, T.One, destination);
    }
}
