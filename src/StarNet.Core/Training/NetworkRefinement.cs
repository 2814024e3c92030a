using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using StarNet.Distributed;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Numerics;
using StarNet.Solvers;

namespace StarNet.Training;

/// <summary>
/// Whole-network refinement after layer-wise training (issue #8), gradient-free backfitting. The codes are always the
/// encoder's (Lemma 3: solved from the data down through every layer's pseudo-inverse), so the training MSE it reports
/// is the MSE that inference reproduces. Each sweep re-solves each layer's weights, layer 1 to K, by least squares
/// from its inputs as propagated up from the current codes against its target (for a lower layer the pre-activation
/// target <c>a^-1(h*_i)</c> of the top-down solve; for the top layer the data before the activation, or with leaky
/// ReLU a working target that bounds the post-activation error from above), then re-solves the codes through the
/// candidate layers and keeps the new weights only if the network MSE does not rise. So no sweep raises it. Sweeps
/// stop when one lowers the MSE by less than <see cref="TrainingOptions.RefinementTolerance"/> of its value, or after
/// <see cref="TrainingOptions.RefinementSweeps"/>. With a distributed job the code solve is local per row and the weight
/// solves and every decision are reduced over the ranks, so all ranks keep the same layers.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class NetworkRefinement<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int BlockRows = 4096;

    /// <summary>
    /// The least ridge of the refinement's weight solves, relative to the mean diagonal of the Gram matrix of
    /// <c>[H 1]</c>: propagated inputs can be nearly rank deficient (with a range gauge a hidden layer is close to
    /// affine in the codes, so its outputs span little more than d_0 + 1 dimensions), which the normal equations
    /// would refuse; this caps their condition near 1e8, far above what changes the fit.
    /// </summary>
    private const double RelativeRidge = 1e-8;

    private readonly DenseLayer<T>[] _layers;
    private readonly Activation _activation;
    private readonly Matrix<T> _data, _dataPre;
    private readonly TrainingOptions _options;
    private readonly TrainingShard _shard;
    private readonly int _threads, _rows, _k;

    /// <summary>The current inputs of each layer: [i] = H_i (N x (d_i + 1), trailing ones), [0] = the codes.</summary>
    private Matrix<T>[] _h;

    /// <summary>Candidates of the same shapes.</summary>
    private Matrix<T>[] _scratch;

    /// <summary>[i] for 1 &lt;= i &lt; K: layer i's pre-activation target from the top-down solve of the current layers; and of a candidate.</summary>
    private Matrix<T>?[] _targets, _trialTargets;
    private double[] _error, _candidateError;
    private readonly Matrix<T> _output;
    private Matrix<T>? _work;

    /// <param name="layers">The trained layers (layer 1 first); replaced in place by accepted solves.</param>
    /// <param name="activation">The decoder's activation.</param>
    /// <param name="data">This rank's training data, N x d_K.</param>
    /// <param name="dataPre">Its pre-activation form <c>a^-1(data)</c>.</param>
    /// <param name="options">The options (solver, ridges, sweeps, tolerance).</param>
    /// <param name="shard">The job's rows.</param>
    /// <param name="threads">Threads of the row passes.</param>
    public NetworkRefinement(DenseLayer<T>[] layers, Activation activation, Matrix<T> data, Matrix<T> dataPre, TrainingOptions options, TrainingShard shard, int threads)
    {
        _layers = layers;
        _activation = activation;
        _data = data;
        _dataPre = dataPre;
        _options = options;
        _shard = shard;
        _threads = threads;
        _rows = data.Rows;
        _k = layers.Length;
        _h = new Matrix<T>[_k];
        _scratch = new Matrix<T>[_k];
        _targets = new Matrix<T>?[_k];
        _trialTargets = new Matrix<T>?[_k];
        for (int i = 0; i < _k; i++)
        {
            int width = layers[i].InputWidth;
            _h[i] = WithOnes(_rows, width);
            _scratch[i] = WithOnes(_rows, width);
            if (i > 0)
            {
                _targets[i] = new Matrix<T>(_rows, width);
                _trialTargets[i] = new Matrix<T>(_rows, width);
            }
        }

        _error = new double[_rows];
        _candidateError = new double[_rows];
        _output = new Matrix<T>(Math.Max(1, Math.Min(BlockRows, _rows)), data.Cols);
    }

    /// <summary>The current codes, N x d_0 (a new matrix).</summary>
    public Matrix<T> Codes => Matrix<T>.CopyOf(_h[0].AsReadOnlySpan().Slice(0, 0, _rows, _layers[0].InputWidth));

    /// <summary>Runs the sweeps; the layers passed in hold the result afterwards.</summary>
    /// <param name="cancellationToken">Stops between passes.</param>
    /// <returns>One record per sweep.</returns>
    public List<RefinementSweep> Run(CancellationToken cancellationToken)
    {
        var sweeps = new List<RefinementSweep>();
        SolveTopDown(_layers, _h[0], _targets, cancellationToken);
        Propagate(1, _layers, _h[0], _h, _error, cancellationToken);
        double current = Total(_error);
        double count = (double)_shard.TotalRows * _data.Cols;
        var start = new double[_rows];
        for (int sweep = 1; sweep <= _options.RefinementSweeps; sweep++)
        {
            long clock = Stopwatch.GetTimestamp();
            double before = current;
            _error.CopyTo(start, 0);
            var kept = new bool[_k];
            for (int layer = 1; layer <= _k; layer++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DenseLayer<T>? candidate = SolveWeights(layer);
                if (candidate is null)
                {
                    continue;
                }

                // The candidate is judged as the model will be used: codes solved from the data by the encoder's
                // top-down solve through the candidate layers, then decoded.
                DenseLayer<T>[] trial = [.. _layers];
                trial[layer - 1] = candidate;
                if (!SolveTopDown(trial, _scratch[0], _trialTargets, cancellationToken))
                {
                    continue;
                }

                Propagate(1, trial, _scratch[0], _scratch, _candidateError, cancellationToken);
                double total = Total(_candidateError);
                if (total <= current)
                {
                    kept[layer - 1] = true;
                    _layers[layer - 1] = candidate;
                    current = total;
                    (_error, _candidateError) = (_candidateError, _error);
                    (_h, _scratch) = (_scratch, _h);
                    (_targets, _trialTargets) = (_trialTargets, _targets);
                }
            }

            long improved = 0, worsened = 0;
            for (int r = 0; r < _rows; r++)
            {
                improved += _error[r] < start[r] ? 1 : 0;
                worsened += _error[r] > start[r] ? 1 : 0;
            }

            Span<double> counts = [improved, worsened];
            _shard.Sum(counts);
            sweeps.Add(new RefinementSweep(sweep, before / count, current / count, (long)counts[0], (long)counts[1], kept, Stopwatch.GetElapsedTime(clock).TotalSeconds));
            if (before - current <= _options.RefinementTolerance * before)
            {
                break;
            }
        }

        return sweeps;
    }

    /// <summary>
    /// The encoder's solve from the data down through <paramref name="layers"/>: per layer <c>h = P_i (t_i - b_i)</c> with
    /// <c>P_i = pinv(W_i)</c>, and <c>t_(i-1) = a^-1(h)</c>, kept in <paramref name="targets"/> as layer i - 1's target; the
    /// code goes to <paramref name="codes"/>. False when a layer's weight is (numerically) rank deficient.
    /// </summary>
    private bool SolveTopDown(DenseLayer<T>[] layers, Matrix<T> codes, Matrix<T>?[] targets, CancellationToken cancellationToken)
    {
        Matrix<T> target = _dataPre;
        for (int layer = _k; layer >= 1; layer--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DenseLayer<T> dense = layers[layer - 1];
            int din = dense.InputWidth;
            var pinv = new Matrix<T>(din, dense.OutputWidth);
            double condition;
            try
            {
                condition = LayerSolver.PseudoInverse(dense.Weight, pinv.AsSpan(), _options.LatentRidge);
            }
            catch (InvalidOperationException)
            {
                return false;
            }

            Matrix<T> destination = layer == 1 ? codes : targets[layer - 1]!;
            MatrixSpan<T> h = destination.Slice(0, 0, _rows, din);
            if (LayerSolver.PseudoInverseIsAccurate<T>(condition))
            {
                var offset = new T[din];
                Blas.Gemv(T.One, pinv.AsReadOnlySpan(), MatrixOp.None, dense.Bias, T.Zero, offset);
                RowProducts.FillRows(h, offset, T.NegativeOne);
                Blas.Gemm(T.One, target.AsReadOnlySpan(), MatrixOp.None, pinv.AsReadOnlySpan(), MatrixOp.Transpose, T.One, h);
            }
            else
            {
                // Through the factorization: the pseudo-inverse's error is a factor kappa larger (LatentSystem).
                var system = new LatentSystem<T>(dense.Weight, dense.Bias, _options.LatentRidge);
                var scratch = new Matrix<T>(LatentSystem<T>.ScratchRows(_rows, dense.OutputWidth), dense.OutputWidth);
                system.SolveRows(target.AsReadOnlySpan(), h, scratch.AsSpan(), cancellationToken);
            }

            if (layer > 1)
            {
                Matrix<T> next = destination;
                RowParallel.For(_rows, _threads, (start, end) =>
                {
                    MatrixSpan<T> m = next.AsSpan();
                    for (int r = start; r < end; r++)
                    {
                        Span<T> row = m.Row(r)[..din];
                        _activation.Inverse<T>(row, row);
                    }
                }, cancellationToken);
                target = next;
            }
        }

        return true;
    }

    /// <summary>Layer <paramref name="layer"/>'s weights solved on its current inputs against its target; null when the system is rank deficient.</summary>
    private DenseLayer<T>? SolveWeights(int layer)
    {
        DenseLayer<T> dense = _layers[layer - 1];
        int din = dense.InputWidth, dout = dense.OutputWidth;
        Matrix<T> target = layer == _k ? TopTarget(dense) : _targets[layer]!;
        var solution = new Matrix<T>(din + 1, dout);
        try
        {
            _shard.LeastSquares(_h[layer - 1].AsReadOnlySpan(), target.AsReadOnlySpan(), solution.AsSpan(), _options.Solver, Math.Max(_options.Ridge, RelativeRidge * MeanColumnSquare(_h[layer - 1])));
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var weight = new Matrix<T>(dout, din);
        ReadOnlyMatrixSpan<T> x = solution.AsReadOnlySpan();
        for (int j = 0; j < dout; j++)
        {
            Span<T> row = weight.AsSpan().Row(j);
            for (int i = 0; i < din; i++)
            {
                row[i] = x[i, j];
            }
        }

        try
        {
            return new DenseLayer<T>(weight.AsReadOnlySpan(), x.Row(din));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The top layer's least-squares target. For leaky ReLU, the working target
    /// <c>t = z - (a(z) - x) a'(z) / L</c> at the current pre-activations z (<c>L = max(1, slope^2)</c>): on the
    /// current linear piece of <c>a</c> it moves the prediction toward that piece's inverse of the data, and
    /// <c>L ||z' - t||^2</c> plus a constant bounds the post-activation error of any new prediction z' from above with
    /// equality at z (for data in the activation's non-negative range), so the solve that minimises it cannot raise the
    /// network's error. Where z &gt;= 0 it is <c>a^-1(x)</c>. Other activations: <c>a^-1(x)</c>.
    /// </summary>
    private Matrix<T> TopTarget(DenseLayer<T> top)
    {
        if (_activation.Kind != ActivationKind.LeakyRelu)
        {
            return _dataPre;
        }

        _work ??= new Matrix<T>(_rows, top.OutputWidth);
        Matrix<T> work = _work;
        Blas.Gemm(T.One, _h[_k - 1].AsReadOnlySpan().Slice(0, 0, _rows, top.InputWidth), MatrixOp.None, top.Weight, MatrixOp.Transpose, T.Zero, work.AsSpan());
        double slope = _activation.NegativeSlope;
        T s = T.CreateTruncating(slope), step = T.CreateTruncating(slope / Math.Max(1, slope * slope));
        RowParallel.For(_rows, _threads, (start, end) =>
        {
            MatrixSpan<T> z = work.AsSpan();
            ReadOnlyMatrixSpan<T> x = _data.AsReadOnlySpan();
            for (int r = start; r < end; r++)
            {
                Span<T> row = z.Row(r);
                ReadOnlySpan<T> xr = x.Row(r);
                TensorPrimitives.Add(row, top.Bias, row);
                for (int j = 0; j < row.Length; j++)
                {
                    T v = row[j];
                    row[j] = v >= T.Zero ? xr[j] : v - (((s * v) - xr[j]) * step);
                }
            }
        });
        return work;
    }

    /// <summary>
    /// The forward pass from layer <paramref name="from"/>'s inputs: the hidden layers' outputs into
    /// <paramref name="hidden"/>[from..K-1], and per datapoint the squared reconstruction error into <paramref name="error"/>.
    /// </summary>
    private void Propagate(int from, DenseLayer<T>[] layers, Matrix<T> input, Matrix<T>[] hidden, double[] error, CancellationToken cancellationToken)
    {
        Matrix<T> current = input;
        for (int layer = from; layer < _k; layer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DenseLayer<T> dense = layers[layer - 1];
            Matrix<T> next = hidden[layer];
            Blas.Gemm(T.One, current.AsReadOnlySpan().Slice(0, 0, _rows, dense.InputWidth), MatrixOp.None, dense.Weight, MatrixOp.Transpose, T.Zero, next.Slice(0, 0, _rows, dense.OutputWidth));
            RowParallel.For(_rows, _threads, (start, end) =>
            {
                MatrixSpan<T> m = next.AsSpan();
                for (int r = start; r < end; r++)
                {
                    Span<T> row = m.Row(r)[..dense.OutputWidth];
                    TensorPrimitives.Add(row, dense.Bias, row);
                    _activation.Apply<T>(row, row);
                }
            }, cancellationToken);
            current = next;
        }

        DenseLayer<T> top = layers[_k - 1];
        int d = top.OutputWidth;
        for (int r0 = 0; r0 < _rows; r0 += BlockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(BlockRows, _rows - r0), offset = r0;
            Blas.Gemm(T.One, current.AsReadOnlySpan().Slice(r0, 0, rows, top.InputWidth), MatrixOp.None, top.Weight, MatrixOp.Transpose, T.Zero, _output.Slice(0, 0, rows, d));
            RowParallel.For(rows, _threads, (start, end) =>
            {
                MatrixSpan<T> o = _output.AsSpan();
                ReadOnlyMatrixSpan<T> x = _data.AsReadOnlySpan();
                for (int r = start; r < end; r++)
                {
                    Span<T> row = o.Row(r);
                    TensorPrimitives.Add(row, top.Bias, row);
                    _activation.Apply<T>(row, row);
                    error[offset + r] = ErrorSums.Of<T>(row, x.Row(offset + r), row).Squares;
                }
            }, cancellationToken);
        }
    }

    /// <summary>The mean over the columns of <c>[H 1]</c> of their squared norms (over every rank): the scale of the Gram matrix's diagonal.</summary>
    private double MeanColumnSquare(Matrix<T> inputs)
    {
        double sum = 0;
        ReadOnlyMatrixSpan<T> h = inputs.AsReadOnlySpan();
        for (int r = 0; r < _rows; r++)
        {
            sum += double.CreateTruncating(TensorPrimitives.SumOfSquares(h.Row(r)));
        }

        return _shard.Sum(sum) / h.Cols;
    }

    /// <summary>The sum of the per-datapoint errors over every rank, added in row order.</summary>
    private double Total(double[] error)
    {
        double sum = 0;
        foreach (double e in error)
        {
            sum += e;
        }

        return _shard.Sum(sum);
    }

    private static Matrix<T> WithOnes(int rows, int width)
    {
        var m = new Matrix<T>(rows, width + 1);
        for (int r = 0; r < rows; r++)
        {
            m[r, width] = T.One;
        }

        return m;
    }
}
