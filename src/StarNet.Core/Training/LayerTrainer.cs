using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using StarNet.Distributed;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Model.Convolution;
using StarNet.Numerics;
using StarNet.Solvers;

namespace StarNet.Training;

/// <summary>
/// Coordinate descent on one layer (paper section 3.3): alternate the latent solve (all datapoints against a
/// once-factored W) and the weight solve (one least-squares problem with every row of W as a right-hand side)
/// until the layer's loss plateaus.
/// </summary>
/// <remarks>
/// Datapoints are rows. With target pre-activations <c>T</c> (N x d_out) and inputs <c>H</c> (N x d_in, stored with a
/// trailing column of ones so that <c>[H 1]</c> is a view, never a copy):
/// <list type="bullet">
/// <item>latent solve: <c>H = (T - 1 b^T) P^T = T P^T - 1 (P b)^T</c> with <c>P = pinv(W)</c> (d_in x d_out), one GEMM;</item>
/// <item>weight solve: <c>[H 1] X = T</c> in the least-squares sense, X = [W b]^T ((d_in + 1) x d_out), one tall
/// least-squares solve with d_out right-hand sides;</item>
/// <item>after each: <c>Z = [H 1] [W b]^T</c> (one GEMM), from which per row the pre-activation residual norm
/// <c>||z - t||</c> and the post-activation error <c>a(z) - y</c> (y = the target output).</item>
/// </list>
/// </remarks>
internal sealed class LayerTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int NetworkBlockRows = 4096;

    /// <summary>The random stream of the "Init" snapshot's latents (plus the layer), apart from training's streams.</summary>
    private const ulong SnapshotStream = 0x5EED_0000;

    private readonly int _layer, _layerCount, _inputs, _outputs, _rows, _threads;
    private readonly TrainingOptions _options;
    private readonly Activation _activation;
    private readonly Matrix<T> _targetPre;
    private readonly Matrix<T> _targetOut;
    private readonly Matrix<T> _data;
    private readonly DenseLayer<T>[] _upperLayers;
    private readonly DeterministicRandom _random;
    private readonly TrainingShard _shard;

    private readonly Matrix<T> _h;
    private readonly Matrix<T> _weight;
    private readonly T[] _bias;
    private readonly Matrix<T> _z;
    private readonly Matrix<T> _pinv;
    private Matrix<T>? _latentScratch;
    private readonly T[] _offset;
    private readonly Matrix<T> _solution;
    private readonly double[] _rowNorm, _rowSquares, _rowMagnitudes;
    private readonly int _subsetRows;
    private readonly Matrix<T>? _subsetInputs, _subsetTargets;
    private readonly int[]? _permutation, _picked;
    private double _roundingFloor;
    private double[]? _initialSnapshot;
    private readonly ConvUnpoolGeometry? _geometry;
    private readonly int _convSubset;
    private readonly int[]? _convPermutation, _convPicked;
    private ConvUnpoolLayer<T>? _conv;

    /// <param name="layer">The layer, 1 = nearest the latent code.</param>
    /// <param name="architecture">The decoder.</param>
    /// <param name="options">Training options.</param>
    /// <param name="threads">Degree of parallelism of the row passes.</param>
    /// <param name="targetPre">The layer's target pre-activations <c>a^-1(y)</c>, N x d_out.</param>
    /// <param name="targetOut">The layer's target outputs y, N x d_out (the data for the top layer).</param>
    /// <param name="data">The training data, N x d_K, for the network metrics.</param>
    /// <param name="upperLayers">The trained layers above this one, in forward order.</param>
    /// <param name="shard">
    /// Which rows of the training set this process holds (all of them without a distributed job); the matrices above
    /// hold only those rows, and metrics and the weight solve are reduced over all ranks. Null: one process.
    /// </param>
    public LayerTrainer(int layer, DecoderArchitecture architecture, TrainingOptions options, int threads, Matrix<T> targetPre, Matrix<T> targetOut, Matrix<T> data, DenseLayer<T>[] upperLayers, TrainingShard? shard = null)
    {
        _layer = layer;
        _layerCount = architecture.LayerCount;
        _inputs = architecture.InputWidth(layer);
        _outputs = architecture.OutputWidth(layer);
        _rows = targetPre.Rows;
        _threads = threads;
        _options = options;
        _activation = architecture.Activation;
        _targetPre = targetPre;
        _targetOut = targetOut;
        _data = data;
        _upperLayers = upperLayers;
        _random = DeterministicRandom.ForStream(options.Seed, (ulong)layer);
        shard ??= TrainingShard.Create(SingleProcessCommunicator.Instance, targetPre.Rows);
        _shard = shard;

        _h = new Matrix<T>(_rows, _inputs + 1);
        _weight = new Matrix<T>(_outputs, _inputs);
        _bias = new T[_outputs];
        _z = new Matrix<T>(_rows, _outputs);
        _pinv = new Matrix<T>(_inputs, _outputs);
        _offset = new T[_inputs];
        _solution = new Matrix<T>(_inputs + 1, _outputs);
        _rowNorm = new double[_rows];
        _rowSquares = new double[_rows];
        _rowMagnitudes = new double[_rows];
        int totalRows = checked((int)shard.TotalRows);
        _subsetRows = Math.Min(options.WeightSubsetSize ?? totalRows, totalRows);
        if (_subsetRows < totalRows)
        {
            // The subset is drawn over the global rows with the same stream on every rank; each rank keeps the picks it holds.
            int capacity = Math.Min(_subsetRows, _rows);
            _subsetInputs = new Matrix<T>(capacity, _inputs + 1);
            _subsetTargets = new Matrix<T>(capacity, _outputs);
            _permutation = [.. Enumerable.Range(0, totalRows)];
            _picked = new int[_subsetRows];
        }

        _geometry = architecture.Convolution(layer);
        _convSubset = Math.Min(options.ConvolutionWeightSubsetSize ?? _rows, _rows);
        if (_geometry is not null && (_convSubset < _rows || options.WeightSubsetCount > 1))
        {
            _convPermutation = [.. Enumerable.Range(0, _rows)];
            _convPicked = new int[Math.Min(_rows, _convSubset * options.WeightSubsetCount)];
        }
    }

    /// <summary>The inputs H (N x d_in) as solved by the last latent step.</summary>
    public ReadOnlyMatrixSpan<T> Inputs => _h.AsReadOnlySpan().Slice(0, 0, _rows, _inputs);

    /// <summary>Per datapoint, the residual norm after the last step.</summary>
    public double[] ResidualNorms => _rowNorm;

    /// <summary>The trained layer.</summary>
    public DenseLayer<T> ToLayer() => new(_weight.AsReadOnlySpan(), _bias);

    /// <summary>The trained conv-unpool layer (kernels and biases), or null for a dense layer.</summary>
    public ConvUnpoolLayer<T>? ToConvLayer() => _conv;

    /// <summary>Runs coordinate descent to the plateau or the epoch limit, logging and reporting every step.</summary>
    public LayerTrainingSummary Run(List<TrainingStepMetrics> log, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        Initialize();
        _initialSnapshot = _options.SnapshotRows is null ? null : InitialSnapshot();
        double previous = double.PositiveInfinity;
        bool plateau = false;
        _roundingFloor = RoundingFloor();
        int epochs = 0;
        TrainingStepMetrics? last = null;
        for (int epoch = 1; epoch <= _options.EpochsPerLayer; epoch++)
        {
            last = Epoch(epoch, log, progress, cancellationToken);
            epochs = epoch;
            double loss = last.LayerMse;
            if (!double.IsFinite(loss))
            {
                throw new InvalidOperationException($"Layer {_layer}: the loss became {loss} in epoch {epoch}; the solves are numerically unstable (try a ridge or the QR solver).");
            }

            // A plateau: the epoch improved the loss by less than the tolerance (relative to the epoch before), or
            // the loss is at rounding level. The first epoch has nothing to compare with.
            bool stalled = epoch > 1 && previous - loss <= _options.PlateauTolerance * previous;
            if (stalled || loss <= _roundingFloor)
            {
                plateau = true;
                break;
            }

            previous = loss;
        }

        if (_options.CloseWithLatentSolve && last!.Step == TrainingStep.Weights)
        {
            last = Step(TrainingStep.Latents, epochs, log, progress, cancellationToken);
        }

        return new LayerTrainingSummary(_layer, epochs, plateau, last!.LayerMse, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>One epoch: the two half-steps in the configured order. Returns the second step's measurements.</summary>
    internal TrainingStepMetrics Epoch(int epoch, List<TrainingStepMetrics> log, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        TrainingStep first = _options.FirstStep;
        TrainingStep second = first == TrainingStep.Latents ? TrainingStep.Weights : TrainingStep.Latents;
        Step(first, epoch, log, progress, cancellationToken);
        return Step(second, epoch, log, progress, cancellationToken);
    }

    /// <summary>Sets the initial weights (orthogonal or Gaussian, bias zero) and, when the weights are solved first, random latents.</summary>
    internal void Initialize()
    {
        MatrixSpan<T> w = _weight.AsSpan();
        if (_geometry is not null)
        {
            // Gaussian kernels scaled by 1 / sqrt(taps), zero biases; W and b are the layer's dense operator.
            var kernels = new Matrix<T>(_geometry.ConvChannels, _geometry.KernelTaps);
            _random.FillGaussian(kernels.Span, 1.0 / Math.Sqrt(_geometry.KernelTaps));
            SetConvolution(new ConvUnpoolLayer<T>(_geometry, kernels.AsReadOnlySpan(), new T[_geometry.ConvChannels]));
        }
        else if (_options.WeightInitialization == WeightInitialization.Orthogonal)
        {
            _random.FillGaussian(_weight.Span);
            LayerSolver.OrthonormalizeColumns(w);
        }
        else
        {
            _random.FillGaussian(_weight.Span, 1.0 / Math.Sqrt(_outputs));
        }

        if (_geometry is null)
        {
            Array.Clear(_bias);
        }

        MatrixSpan<T> h = _h.AsSpan();
        bool randomLatents = _options.FirstStep == TrainingStep.Weights;
        if (randomLatents)
        {
            // Draw the latents of the other shards' rows too (and drop them), so that every row gets what it gets on
            // one process and the stream is at the same place on every rank afterwards (weight-solve subsets).
            SkipGaussians(_shard.FirstRow * _inputs);
        }

        for (int r = 0; r < _rows; r++)
        {
            Span<T> row = h.Row(r);
            if (randomLatents)
            {
                _random.FillGaussian(row[.._inputs], _options.LatentInitializationScale);
            }

            row[_inputs] = T.One;
        }

        if (randomLatents)
        {
            SkipGaussians((_shard.TotalRows - _shard.FirstRow - _rows) * _inputs);
        }
    }

    private TrainingStepMetrics Step(TrainingStep step, int epoch, List<TrainingStepMetrics> log, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long start = Stopwatch.GetTimestamp();
        (double flops, int solveRows, double condition) = step == TrainingStep.Latents ? SolveLatents(cancellationToken) : SolveWeights(cancellationToken);
        double solveSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        flops += LayerResiduals(cancellationToken);
        Span<double> sums = [Sum(_rowSquares), Sum(_rowMagnitudes), Sum(_rowNorm)];
        _shard.Sum(sums);
        (double layerMse, double layerElastic) = ErrorSums.Losses(sums[0], sums[1], (double)_shard.TotalRows * _outputs);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        (double networkMse, double networkElastic) = _upperLayers.Length == 0 ? (layerMse, layerElastic)
            : _options.ReportNetworkMetrics ? NetworkLosses(cancellationToken)
            : (double.NaN, double.NaN);
        var metrics = new TrainingStepMetrics(
            _layer, epoch, step, layerMse, layerElastic, networkMse, networkElastic, seconds, solveSeconds, flops,
            sums[2] / _shard.TotalRows, _shard.Max(_rows == 0 ? 0 : _rowNorm.Max()), solveRows, condition);
        log.Add(metrics);
        if (progress is not null)
        {
            double[]? snapshot = _options.SnapshotRows is { } rows ? DecodeRows(rows, _z.AsReadOnlySpan()) : null;
            progress.Report(new TrainingProgress(metrics, (double[])_rowNorm.Clone(), _layerCount) { Snapshot = snapshot, InitialSnapshot = _initialSnapshot });
            _initialSnapshot = null;
        }
        return metrics;
    }

    /// <summary>The network's output for the followed rows before the first step: a(W h + b) of untrained latents, decoded (the paper's "Init").</summary>
    private double[] InitialSnapshot()
    {
        IReadOnlyList<int> rows = _options.SnapshotRows!;
        var random = DeterministicRandom.ForStream(_options.Seed, SnapshotStream + (ulong)_layer);
        var z = new Matrix<T>(rows.Count, _outputs);
        Span<T> latent = new T[_inputs];
        for (int i = 0; i < rows.Count; i++)
        {
            if (_options.FirstStep == TrainingStep.Weights)
            {
                _h.AsReadOnlySpan().Row(rows[i])[.._inputs].CopyTo(latent);
            }
            else
            {
                random.FillGaussian(latent, _options.LatentInitializationScale);
            }

            Span<T> zr = z.AsSpan().Row(i);
            for (int j = 0; j < _outputs; j++)
            {
                zr[j] = TensorPrimitives.Dot<T>(latent, _weight.AsReadOnlySpan().Row(j)) + _bias[j];
            }

            _activation.Apply<T>(zr, zr);
        }

        return DecodeRows([.. Enumerable.Range(0, rows.Count)], z.AsReadOnlySpan());
    }

    /// <summary>The given rows of <paramref name="outputs"/> (this layer's outputs) decoded through the trained layers above, as doubles.</summary>
    private double[] DecodeRows(IReadOnlyList<int> rows, ReadOnlyMatrixSpan<T> outputs)
    {
        var picked = new Matrix<T>(rows.Count, _outputs);
        for (int i = 0; i < rows.Count; i++)
        {
            outputs.Row(rows[i]).CopyTo(picked.AsSpan().Row(i));
        }

        Matrix<T> decoded = picked;
        if (_upperLayers.Length > 0)
        {
            decoded = new Matrix<T>(rows.Count, _data.Cols);
            DecoderPass.Forward<T>(_upperLayers, _activation, picked.AsReadOnlySpan(), decoded.AsSpan());
        }

        var result = new double[rows.Count * decoded.Cols];
        for (int i = 0; i < rows.Count; i++)
        {
            ReadOnlySpan<T> row = decoded.AsReadOnlySpan().Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                result[(i * row.Length) + j] = double.CreateTruncating(row[j]);
            }
        }

        return result;
    }

    /// <summary>
    /// H = T P^T - 1 (P b)^T, P = pinv(W): the offset pre-filled, then one GEMM with beta = 1; through the
    /// factorization of W instead when its condition makes the pseudo-inverse inaccurate (<see cref="LatentSystem{T}"/>).
    /// </summary>
    private (double Flops, int Rows, double Condition) SolveLatents(CancellationToken cancellationToken)
    {
        double condition = LayerSolver.PseudoInverse(_weight.AsReadOnlySpan(), _pinv.AsSpan(), _options.LatentRidge);
        if (!LayerSolver.PseudoInverseIsAccurate<T>(condition))
        {
            var system = new LatentSystem<T>(_weight.AsReadOnlySpan(), _bias, _options.LatentRidge);
            _latentScratch ??= new Matrix<T>(LatentSystem<T>.ScratchRows(_rows, _outputs), _outputs);
            system.SolveRows(_targetPre.AsReadOnlySpan(), _h.Slice(0, 0, _rows, _inputs), _latentScratch.AsSpan(), cancellationToken);
            return (LayerSolver.PseudoInverseFlops(_outputs, _inputs) + LayerSolver.LeastSquaresFlops(SolverMethod.Qr, _outputs, _inputs, _rows), _rows, condition);
        }

        Blas.Gemv(T.One, _pinv.AsReadOnlySpan(), MatrixOp.None, _bias, T.Zero, _offset);
        RowParallel.For(_rows, _threads, (start, end) =>
        {
            MatrixSpan<T> h = _h.AsSpan();
            for (int r = start; r < end; r++)
            {
                TensorPrimitives.Negate<T>(_offset, h.Row(r)[.._inputs]);
            }
        }, cancellationToken);
        Blas.Gemm(T.One, _targetPre.AsReadOnlySpan(), MatrixOp.None, _pinv.AsReadOnlySpan(), MatrixOp.Transpose, T.One, _h.Slice(0, 0, _rows, _inputs));
        double flops = LayerSolver.PseudoInverseFlops(_outputs, _inputs) + (2.0 * _rows * _outputs * _inputs);
        return (flops, _rows, condition);
    }

    /// <summary>[H 1] [W b]^T = T in the least-squares sense, on all rows or on this epoch's random subset.</summary>
    private (double Flops, int Rows, double Condition) SolveWeights(CancellationToken cancellationToken)
    {
        if (_geometry is not null)
        {
            return SolveKernels(cancellationToken);
        }

        ReadOnlyMatrixSpan<T> a = _h.AsReadOnlySpan();
        ReadOnlyMatrixSpan<T> b = _targetPre.AsReadOnlySpan();
        if (_subsetInputs is not null)
        {
            _random.SampleWithoutReplacement(_permutation!, _subsetRows, _picked!);

            // The picks are sorted: this rank's rows [first, first + rows) are one run of them.
            int first = (int)_shard.FirstRow;
            int from = LowerBound(_picked!, first), to = LowerBound(_picked!, first + _rows);
            RowParallel.For(to - from, _threads, (start, end) =>
            {
                for (int j = start; j < end; j++)
                {
                    int row = _picked![from + j] - first;
                    _h.AsReadOnlySpan().Row(row).CopyTo(_subsetInputs.AsSpan().Row(j));
                    _targetPre.AsReadOnlySpan().Row(row).CopyTo(_subsetTargets!.AsSpan().Row(j));
                }
            }, cancellationToken);
            a = _subsetInputs.AsReadOnlySpan().Slice(0, 0, to - from, _inputs + 1);
            b = _subsetTargets!.AsReadOnlySpan().Slice(0, 0, to - from, _outputs);
        }

        double condition = _shard.LeastSquares(a, b, _solution.AsSpan(), _options.Solver, _options.Ridge);
        ReadOnlyMatrixSpan<T> x = _solution.AsReadOnlySpan();
        MatrixSpan<T> w = _weight.AsSpan();
        for (int j = 0; j < _outputs; j++)
        {
            Span<T> row = w.Row(j);
            for (int k = 0; k < _inputs; k++)
            {
                row[k] = x[k, j];
            }
        }

        x.Row(_inputs).CopyTo(_bias);
        return (LayerSolver.LeastSquaresFlops(_options.Solver, a.Rows, _inputs + 1, _outputs), a.Rows, condition);
    }

    /// <summary>The conv-unpool weight solve: im2col least squares over random image subsets (averaged when several).</summary>
    private (double Flops, int Rows, double Condition) SolveKernels(CancellationToken cancellationToken)
    {
        ConvUnpoolGeometry g = _geometry!;
        int count = _options.WeightSubsetCount;
        var subsets = new IReadOnlyList<int>[count];
        if (_convPicked is null)
        {
            subsets[0] = Enumerable.Range(0, _rows).ToArray();
        }
        else
        {
            // Disjoint subsets from one draw when the images suffice, independent draws otherwise.
            bool disjoint = _convSubset * count <= _rows;
            for (int s = 0; s < count; s++)
            {
                if (s == 0 || !disjoint)
                {
                    _random.SampleWithoutReplacement(_convPermutation!, _convPicked.Length, _convPicked);
                }

                // The permutation's head holds the draw in random order (the sorted copy would bias the slices).
                int[] subset = disjoint ? _convPermutation![(s * _convSubset)..((s + 1) * _convSubset)] : _convPermutation![.._convSubset];
                Array.Sort(subset);
                subsets[s] = subset;
            }
        }

        LeastSquaresMethod method = _options.Solver switch
        {
            SolverMethod.NormalEquations => LeastSquaresMethod.NormalEquations,
            SolverMethod.RandomizedCholeskyQr => LeastSquaresMethod.RandomizedCholeskyQR,
            _ => LeastSquaresMethod.HouseholderQR,
        };
        SetConvolution(ConvUnpoolSolver.SolveKernels(g, Inputs, _targetPre.AsReadOnlySpan(), subsets, _options.Ridge, method, out double condition, cancellationToken));
        int images = subsets.Sum(s => s.Count);
        return (LayerSolver.LeastSquaresFlops(_options.Solver, (double)images * g.Positions, g.KernelUnknowns, g.ConvChannels), images, condition);
    }

    private void SetConvolution(ConvUnpoolLayer<T> layer)
    {
        _conv = layer;
        (Matrix<T> a, T[] beta) = layer.Dense;
        a.AsReadOnlySpan().CopyTo(_weight.AsSpan());
        beta.CopyTo(_bias, 0);
    }

    /// <summary>
    /// Z = H W^T (one GEMM), then per row: z += b; the residual norm ||z - t||; a(z); and the error sums of a(z) - y.
    /// Leaves a(z), the layer's reconstruction of its target output, in Z.
    /// </summary>
    private double LayerResiduals(CancellationToken cancellationToken)
    {
        Blas.Gemm(T.One, _h.AsReadOnlySpan().Slice(0, 0, _rows, _inputs), MatrixOp.None, _weight.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, _z.AsSpan());

        // a(z) is read afterwards only by the network pass through the layers above and by row snapshots.
        bool keepOutput = _upperLayers.Length > 0 || _options.SnapshotRows is not null;
        RowParallel.For(_rows, _threads, (start, end) =>
        {
            MatrixSpan<T> z = _z.AsSpan();
            ReadOnlyMatrixSpan<T> t = _targetPre.AsReadOnlySpan();
            ReadOnlyMatrixSpan<T> y = _targetOut.AsReadOnlySpan();
            for (int r = start; r < end; r++)
            {
                (double pre, _rowSquares[r], _rowMagnitudes[r]) = ResidualRow.Process(z.Row(r), _bias, t.Row(r), y.Row(r), _activation, keepOutput);
                _rowNorm[r] = Math.Sqrt(pre);
            }
        }, cancellationToken);
        return 2.0 * _rows * _inputs * _outputs;
    }

    /// <summary>Decodes the layer's reconstruction a(z) (left in Z) through the trained layers above and compares with the data.</summary>
    private (double Mse, double Elastic) NetworkLosses(CancellationToken cancellationToken)
    {
        int d = _data.Cols;
        var output = new Matrix<T>(Math.Min(NetworkBlockRows, _rows), d);
        var squares = new double[_rows];
        var magnitudes = new double[_rows];
        for (int r0 = 0; r0 < _rows; r0 += NetworkBlockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(NetworkBlockRows, _rows - r0);
            DecoderPass.Forward<T>(_upperLayers, _activation, _z.AsReadOnlySpan().Slice(r0, 0, rows, _outputs), output.Slice(0, 0, rows, d));
            int offset = r0;
            RowParallel.For(rows, _threads, (start, end) =>
            {
                MatrixSpan<T> o = output.AsSpan();
                ReadOnlyMatrixSpan<T> x = _data.AsReadOnlySpan();
                for (int r = start; r < end; r++)
                {
                    (squares[offset + r], magnitudes[offset + r]) = ErrorSums.Of<T>(o.Row(r), x.Row(offset + r), o.Row(r));
                }
            }, cancellationToken);
        }

        Span<double> sums = [Sum(squares), Sum(magnitudes)];
        _shard.Sum(sums);
        return ErrorSums.Losses(sums[0], sums[1], (double)_shard.TotalRows * d);
    }

    /// <summary>
    /// The MSE below which a layer counts as converged whatever its relative improvement: (16 eps)^2 times the
    /// mean square of the target outputs, where the loss is rounding noise and relative changes are meaningless.
    /// </summary>
    private double RoundingFloor()
    {
        double squares = 0;
        ReadOnlyMatrixSpan<T> y = _targetOut.AsReadOnlySpan();
        for (int r = 0; r < _rows; r++)
        {
            squares += double.CreateTruncating(TensorPrimitives.SumOfSquares(y.Row(r)));
        }

        double eps = typeof(T) == typeof(float) ? 1.1920928955078125e-7 : 2.220446049250313e-16;
        return 256 * eps * eps * _shard.Sum(squares) / ((double)_shard.TotalRows * _outputs);
    }

    private void SkipGaussians(long count)
    {
        for (long i = 0; i < count; i++)
        {
            _random.NextGaussian();
        }
    }

    /// <summary>The first index of the ascending, distinct <paramref name="sorted"/> whose value is at least <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int index = Array.BinarySearch(sorted, value);
        return index >= 0 ? index : ~index;
    }

    /// <summary>Sum in index order, so that the result does not depend on how rows were split between threads.</summary>
    private static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v;
        }

        return s;
    }
}
