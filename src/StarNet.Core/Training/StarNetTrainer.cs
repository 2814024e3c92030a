using System.Diagnostics;
using System.Numerics;
using StarNet.Distributed;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Numerics;

namespace StarNet.Training;

/// <summary>
/// Layer-wise, gradient-free training of a feedforward StarNet decoder (paper section 3.3): from the last layer
/// to the first, coordinate descent between latent solves and weight solves; the solved latents of each layer,
/// through the inverse activation (Eq. 4), become the target of the layer below.
/// </summary>
public static class StarNetTrainer
{
    /// <summary>Trains a decoder on <paramref name="data"/> (one datapoint per row).</summary>
    /// <typeparam name="T">float or double: the precision of training and of the model.</typeparam>
    /// <param name="data">N x d_K training datapoints (copied; the caller may change its data afterwards).</param>
    /// <param name="architecture">The decoder to train.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Receives a report after every half-step; optional.</param>
    /// <param name="cancellationToken">Stops training between (and inside long) steps with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The model, the latent codes of the training set and the measurements.</returns>
    /// <exception cref="ArgumentException">The data does not match the architecture, holds NaN or infinity, or the paper's conditions fail (the message names the layer, the sizes and the condition).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A solve met a numerically rank-deficient system.</exception>
    public static TrainingResult<T> Train<T>(
        ReadOnlyMatrixSpan<T> data,
        DecoderArchitecture architecture,
        TrainingOptions? options = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Train(data, default, false, architecture, options, SingleProcessCommunicator.Instance, progress, cancellationToken);

    /// <summary>
    /// Trains a decoder on <paramref name="data"/> and measures the reconstruction of <paramref name="testData"/> through
    /// inference alone (encode, then decode), recorded in <see cref="TrainingHistory.TestReconstructionMse"/>.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="data">N x d_K training datapoints.</param>
    /// <param name="testData">M x d_K test datapoints, never used for fitting.</param>
    /// <param name="architecture">The decoder to train.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Receives a report after every half-step; optional.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <returns>The model, the latent codes of the training set and the measurements.</returns>
    /// <exception cref="ArgumentException">The data does not match the architecture, or the paper's conditions fail.</exception>
    public static TrainingResult<T> Train<T>(
        ReadOnlyMatrixSpan<T> data,
        ReadOnlyMatrixSpan<T> testData,
        DecoderArchitecture architecture,
        TrainingOptions? options = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Train(data, testData, true, architecture, options, SingleProcessCommunicator.Instance, progress, cancellationToken);

    /// <summary>
    /// Trains one decoder on the datapoints of all ranks of a distributed job (collective: every rank calls this with
    /// its own shard of the data and the same architecture and options). Latent solves stay local (paper Lemma 2);
    /// the weight solve reduces n(n+1)/2 + n d_out numbers per layer and epoch (n = d_in + 1), whatever the number of
    /// rows (Theorem 2): distributed normal equations for <see cref="SolverMethod.NormalEquations"/>, TSQR for the QR
    /// solvers; metrics are reduced. Every rank gets the same layers and prior; the outlier calibration needs the
    /// residual norms of every row and is fitted on rank 0 only (other ranks' models have none). Shards stacked in
    /// rank order give the single-process model to rounding.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="data">This rank's datapoints (consecutive blocks in rank order).</param>
    /// <param name="testData">This rank's test datapoints, or an empty view with <paramref name="hasTest"/> false.</param>
    /// <param name="hasTest">Whether to measure test reconstruction (reduced over the ranks' test shards).</param>
    /// <param name="architecture">The decoder to train.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="communicator">The job.</param>
    /// <param name="progress">Receives a report after every half-step (global metrics, this rank's residual norms); optional.</param>
    /// <param name="cancellationToken">Stops training; cancel on every rank, or the others wait for this one.</param>
    /// <returns>The model, this rank's latent codes and residual norms, and the (global) measurements.</returns>
    /// <exception cref="ArgumentException">One process: as the single-process overloads.</exception>
    /// <exception cref="RankFailedException">Several processes: the checks failed on some rank (every rank throws it).</exception>
    public static TrainingResult<T> Train<T>(
        ReadOnlyMatrixSpan<T> data,
        ReadOnlyMatrixSpan<T> testData,
        bool hasTest,
        DecoderArchitecture architecture,
        TrainingOptions? options,
        ICommunicator communicator,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(communicator);
        options ??= new TrainingOptions();
        long start = Stopwatch.GetTimestamp();

        // Everything is checked before any work starts; with several ranks, the ranks agree on the outcome so that
        // a bad shard stops every rank instead of leaving the others waiting.
        void CheckInputs(ReadOnlyMatrixSpan<T> data, ReadOnlyMatrixSpan<T> testData)
        {
            options.Validate();
            int rowCount = data.Rows;
            if (options.SnapshotRows is { } followed && followed.Any(r => r < 0 || r >= rowCount))
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"Training option SnapshotRows holds a row outside [0, {rowCount}).");
            }

            if (communicator.Size > 1 && Enumerable.Range(1, architecture.LayerCount).Any(layer => architecture.Convolution(layer) is not null))
            {
                throw new ArgumentException($"The decoder {architecture} has convolutional (conv-unpool) layers, which train on one process only; distributed training supports feedforward layers (docs/distributed.md).", nameof(architecture));
            }

            CheckData(data, architecture, "data");
            if (hasTest)
            {
                CheckData(testData, architecture, "testData");
            }
        }

        if (communicator.Size == 1)
        {
            CheckInputs(data, testData);
        }
        else
        {
            Exception? failure = null;
            try
            {
                CheckInputs(data, testData);
            }
            catch (ArgumentException e)
            {
                failure = e;
            }

            RankFailures.Agree(communicator, failure);
        }

        TrainingShard shard = TrainingShard.Create(communicator, data.Rows);
        ArchitectureCheck check = architecture.Check(checked((int)shard.TotalRows), options.WeightSubsetSize, options.ConvolutionWeightSubsetSize);
        check.ThrowIfInvalid();

        int threads = options.DegreeOfParallelism ?? LinearAlgebraSettings.DegreeOfParallelism;
        using IDisposable scope = LinearAlgebraSettings.Override(degreeOfParallelism: threads);
        int layerCount = architecture.LayerCount;
        int n = data.Rows;
        var x = Matrix<T>.CopyOf(data);
        var layers = new DenseLayer<T>[layerCount];
        var convolutions = new Model.Convolution.ConvUnpoolLayer<T>?[layerCount];
        var steps = new List<TrainingStepMetrics>();
        var summaries = new List<LayerTrainingSummary>();
        var residualNorms = new double[layerCount][];

        // The top layer's target output is the data itself.
        Matrix<T> targetOut = x;
        Matrix<T> targetPre = InverseActivation(x, architecture.Activation, threads, cancellationToken);
        Matrix<T> dataPre = targetPre;
        Matrix<T>? latents = null;
        for (int layer = layerCount; layer >= 1; layer--)
        {
            var trainer = new LayerTrainer<T>(layer, architecture, options, threads, targetPre, targetOut, x, layers[layer..], shard);
            summaries.Add(trainer.Run(steps, progress, cancellationToken));
            layers[layer - 1] = trainer.ToLayer();
            convolutions[layer - 1] = trainer.ToConvLayer();
            residualNorms[layer - 1] = trainer.ResidualNorms;

            // Eq. 4: the solved latents h*_(i-1) are the layer's inputs, i.e. the post-activation outputs of the layer
            // below; that layer's linear system needs them before its activation, a^-1(h*_(i-1)). Layer 1's inputs are
            // the latent code itself (no activation). Gauge fixing (issue #8): the latents are first re-coordinatised,
            // the dense layer above absorbing the inverse map (its output is unchanged).
            targetOut = Matrix<T>.CopyOf(trainer.Inputs);
            if (layer > 1)
            {
                if (convolutions[layer - 1] is null)
                {
                    (targetOut, layers[layer - 1]) = LatentGauge.Apply(options.Gauge, targetOut, layers[layer - 1], architecture.Activation, shard, layer);
                }

                targetPre = InverseActivation(targetOut, architecture.Activation, threads, cancellationToken);
            }
            else
            {
                latents = targetOut;
            }
        }

        // Whole-network refinement (issue #8): dense decoders only.
        List<RefinementSweep> sweeps = [];
        if (options.RefinementSweeps > 0 && !architecture.HasConvolutions)
        {
            var refinement = new NetworkRefinement<T>(layers, architecture.Activation, x, dataPre, options, shard, threads);
            sweeps = refinement.Run(cancellationToken);
            latents = refinement.Codes;
        }

        cancellationToken.ThrowIfCancellationRequested();
        LatentGaussian<T> prior = LatentGaussian<T>.Fit(latents!.AsReadOnlySpan(), communicator);
        string procedure = options.Procedure(options.RefinementSweeps > 0 && !architecture.HasConvolutions);
        var history = new TrainingHistory(steps, summaries, 0, check.Warnings, procedure: procedure, refinement: sweeps);
        StarNetModel<T> model = new StarNetModel<T>(architecture, layers, prior, null, options, history, convolutions).WithOutlierCalibration(x.AsReadOnlySpan(), communicator);
        double? testMse = null, testElastic = null;
        if (hasTest)
        {
            ReconstructionMetrics test = model.Evaluate(testData);
            (testMse, testElastic) = (test.Mse, test.Elastic);
            if (shard.IsDistributed)
            {
                // Means over each rank's test shard, weighted by its count.
                Span<double> sums = [test.Count, test.Count == 0 ? 0 : test.Mse * test.Count, test.Count == 0 ? 0 : test.Elastic * test.Count];
                shard.Sum(sums);
                (testMse, testElastic) = (sums[1] / sums[0], sums[2] / sums[0]);
            }
        }

        history = new TrainingHistory(steps, summaries, Stopwatch.GetElapsedTime(start).TotalSeconds, check.Warnings, testMse, testElastic, procedure, sweeps);
        return new TrainingResult<T>(model.WithHistory(history), latents, residualNorms);
    }

    /// <summary>
    /// The target pre-activations <c>a^-1(y)</c>: a new matrix, or <paramref name="source"/> itself where the inverse
    /// changes nothing (the identity, and leaky ReLU on data without negative values, such as pixels), which saves an
    /// N x d copy and lets the residual pass read one matrix where it would read two.
    /// </summary>
    private static Matrix<T> InverseActivation<T>(Matrix<T> source, Activation activation, int threads, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation.Kind == ActivationKind.Identity || (activation.Kind == ActivationKind.LeakyRelu && NoNegatives(source)))
        {
            return source;
        }

        var result = new Matrix<T>(source.Rows, source.Cols);
        RowParallel.For(source.Rows, threads, (start, end) =>
        {
            ReadOnlyMatrixSpan<T> s = source.AsReadOnlySpan();
            MatrixSpan<T> d = result.AsSpan();
            for (int r = start; r < end; r++)
            {
                activation.Inverse(s.Row(r), d.Row(r));
            }
        }, cancellationToken);
        return result;
    }

    private static bool NoNegatives<T>(Matrix<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlyMatrixSpan<T> s = m.AsReadOnlySpan();
        for (int r = 0; r < s.Rows; r++)
        {
            if (s.Cols > 0 && System.Numerics.Tensors.TensorPrimitives.Min(s.Row(r)) < T.Zero)
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckData<T>(ReadOnlyMatrixSpan<T> data, DecoderArchitecture architecture, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Cols != architecture.OutputDimension)
        {
            throw new ArgumentException($"{name} has {data.Cols} columns but the decoder {architecture} outputs {architecture.OutputDimension} values per datapoint.", name);
        }

        for (int r = 0; r < data.Rows; r++)
        {
            ReadOnlySpan<T> row = data.Row(r);
            for (int j = 0; j < row.Length; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    throw new ArgumentException($"{name}[{r}, {j}] is {row[j]}; training data must be finite.", name);
                }
            }
        }
    }
}
