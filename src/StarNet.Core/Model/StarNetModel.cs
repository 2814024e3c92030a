using System.Collections.ObjectModel;
using System.Numerics;
using StarNet.Distributed;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Numerics;
using StarNet.Training;

namespace StarNet.Model;

/// <summary>
/// A trained feedforward StarNet decoder: its layers, and what training fitted besides (the latent Gaussian for
/// generation, the outlier calibration, the options and measurements). Immutable and safe to share between threads.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class StarNetModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer<T>[] _layers;
    private readonly Convolution.ConvUnpoolLayer<T>?[] _convolutions;
    private StarNetEncoder<T>? _encoder;

    /// <summary>Creates a model.</summary>
    /// <param name="architecture">The widths and activation.</param>
    /// <param name="layers">Layer 1 (nearest the latent code) first; shapes must match the architecture.</param>
    /// <param name="latentPrior">The Gaussian over latent codes, for generation; optional.</param>
    /// <param name="outlierCalibration">The calibration of the outlier score; optional.</param>
    /// <param name="trainingOptions">The options the model was trained with; optional.</param>
    /// <param name="history">What training measured; optional.</param>
    /// <param name="convolutionLayers">Per layer, its conv-unpool layer or null for a dense layer (null: all dense); for a conv layer the dense layer given must be its dense form.</param>
    /// <exception cref="ArgumentException">A layer's shape or the prior's dimension does not match the architecture.</exception>
    public StarNetModel(
        DecoderArchitecture architecture,
        IEnumerable<DenseLayer<T>> layers,
        LatentGaussian<T>? latentPrior = null,
        OutlierCalibration? outlierCalibration = null,
        TrainingOptions? trainingOptions = null,
        TrainingHistory? history = null,
        IEnumerable<Convolution.ConvUnpoolLayer<T>?>? convolutionLayers = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers];
        if (_layers.Length != architecture.LayerCount)
        {
            throw new ArgumentException($"The architecture {architecture} has {architecture.LayerCount} layers but {_layers.Length} were given.", nameof(layers));
        }

        for (int i = 0; i < _layers.Length; i++)
        {
            int din = architecture.InputWidth(i + 1), dout = architecture.OutputWidth(i + 1);
            if (_layers[i].InputWidth != din || _layers[i].OutputWidth != dout)
            {
                throw new ArgumentException($"Layer {i + 1} has weight {_layers[i].OutputWidth}x{_layers[i].InputWidth}; the architecture {architecture} needs {dout}x{din}.", nameof(layers));
            }
        }

        if (latentPrior is not null && latentPrior.Dimension != architecture.LatentDimension)
        {
            throw new ArgumentException($"The latent prior has dimension {latentPrior.Dimension}; the latent code has {architecture.LatentDimension}.", nameof(latentPrior));
        }

        if (outlierCalibration is not null && outlierCalibration.LayerCount != architecture.LayerCount)
        {
            throw new ArgumentException($"The outlier calibration covers {outlierCalibration.LayerCount} layers; the model has {architecture.LayerCount}.", nameof(outlierCalibration));
        }

        _convolutions = convolutionLayers is null ? new Convolution.ConvUnpoolLayer<T>?[_layers.Length] : [.. convolutionLayers];
        CheckConvolutions(architecture, _layers, _convolutions);
        Architecture = architecture;
        Layers = new ReadOnlyCollection<DenseLayer<T>>(_layers);
        ConvolutionLayers = new ReadOnlyCollection<Convolution.ConvUnpoolLayer<T>?>(_convolutions);
        LatentPrior = latentPrior;
        OutlierCalibration = outlierCalibration;
        TrainingOptions = trainingOptions;
        History = history;
    }

    /// <summary>The widths and activation.</summary>
    public DecoderArchitecture Architecture { get; }

    /// <summary>The layers, index 0 = layer 1 (nearest the latent code).</summary>
    public IReadOnlyList<DenseLayer<T>> Layers { get; }

    /// <summary>
    /// Per layer, the conv-unpool layer (kernels and biases) it was built from, or null for a dense layer. For a conv
    /// layer the entry of <see cref="Layers"/> is its dense form (<see cref="Convolution.ConvUnpoolLayer{T}.ToDenseLayer"/>),
    /// which decoding and encoding use.
    /// </summary>
    public IReadOnlyList<Convolution.ConvUnpoolLayer<T>?> ConvolutionLayers { get; }

    /// <summary>The Gaussian over latent codes that <see cref="Generate(MatrixSpan{T}, ulong)"/> samples from, if fitted.</summary>
    public LatentGaussian<T>? LatentPrior { get; }

    /// <summary>The calibration of the outlier score, if fitted.</summary>
    public OutlierCalibration? OutlierCalibration { get; }

    /// <summary>The options the model was trained with, if known.</summary>
    public TrainingOptions? TrainingOptions { get; }

    /// <summary>What training measured, if known.</summary>
    public TrainingHistory? History { get; }

    /// <summary>
    /// The latent-inference engine (Lemma 3), built on first use (each layer's pseudo-inverse computed once) and then
    /// shared; safe to use from many threads.
    /// </summary>
    public StarNetEncoder<T> Encoder
    {
        get
        {
            if (_encoder is null)
            {
                var encoder = new StarNetEncoder<T>(Architecture, _layers, OutlierCalibration);
                Interlocked.CompareExchange(ref _encoder, encoder, null);
            }

            return _encoder;
        }
    }

    /// <summary>A copy with a different history (for example with test metrics added).</summary>
    /// <param name="history">The new history.</param>
    public StarNetModel<T> WithHistory(TrainingHistory? history) =>
        new(Architecture, _layers, LatentPrior, OutlierCalibration, TrainingOptions, history, _convolutions) { _encoder = _encoder };

    /// <summary>
    /// A copy whose outlier score is calibrated on <paramref name="calibrationData"/>: the encoder's per-layer residual
    /// norms on those datapoints define the scale (see <see cref="Inference.OutlierCalibration"/>). Training calibrates
    /// on the training set; when the training set is not much larger than the layers' inputs (weights fitted to it
    /// leave it smaller residuals than unseen data), calibrating on held-out data gives honest tail probabilities.
    /// </summary>
    /// <param name="calibrationData">N x d_K datapoints, N &gt;= 2.</param>
    /// <returns>The model with the new calibration, or with none if no layer can be scored (every layer square).</returns>
    /// <exception cref="ArgumentException">The data has the wrong width or fewer than two rows.</exception>
    public StarNetModel<T> WithOutlierCalibration(ReadOnlyMatrixSpan<T> calibrationData) => WithOutlierCalibration(calibrationData, SingleProcessCommunicator.Instance);

    /// <summary>
    /// Calibrates on the datapoints of every rank of a distributed job (collective; each rank passes its own rows):
    /// each rank encodes its rows, rank 0 gathers the residual norms (the calibration's quantiles need them all) and
    /// returns the calibrated model; the other ranks return this model unchanged.
    /// </summary>
    /// <param name="calibrationData">This rank's datapoints; N &gt;= 2 over all ranks.</param>
    /// <param name="communicator">The job.</param>
    /// <returns>On rank 0 the calibrated model; elsewhere this model.</returns>
    /// <exception cref="ArgumentException">The data has the wrong width or fewer than two rows in all.</exception>
    public StarNetModel<T> WithOutlierCalibration(ReadOnlyMatrixSpan<T> calibrationData, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        StarNetEncoder<T>.CheckShape(calibrationData, calibrationData.Rows, Architecture.OutputDimension, nameof(calibrationData));
        Span<double> total = [calibrationData.Rows];
        if (communicator.Size > 1)
        {
            communicator.AllReduceSum(total);
        }

        if (total[0] < 2)
        {
            throw new ArgumentException($"Calibrating the outlier score needs at least 2 datapoints; got {total[0]}.", nameof(calibrationData));
        }

        int n = calibrationData.Rows, k = Architecture.LayerCount;
        var latents = new Matrix<T>(n, Architecture.LatentDimension);
        var norms = new Matrix<T>(n, k);
        Encoder.Encode(calibrationData, latents.AsSpan(), norms.AsSpan());
        var perLayer = new double[k][];
        var scorable = new bool[k];
        for (int i = 0; i < k; i++)
        {
            perLayer[i] = new double[n];
            for (int r = 0; r < n; r++)
            {
                perLayer[i][r] = double.CreateTruncating(norms[r, i]);
            }

            scorable[i] = Architecture.InputWidth(i + 1) < Architecture.OutputWidth(i + 1);
        }

        if (communicator.Size > 1)
        {
            perLayer = RowGather.OnRoot(communicator, perLayer);
            if (communicator.Rank != 0)
            {
                return this;
            }
        }

        return new StarNetModel<T>(Architecture, _layers, LatentPrior, Inference.OutlierCalibration.Fit(perLayer, scorable), TrainingOptions, History, _convolutions);
    }

    /// <summary>Decodes one latent code (the forward pass). Allocates nothing once the calling thread is warm.</summary>
    /// <param name="latent">d_0 values.</param>
    /// <param name="output">Receives d_K values.</param>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void Decode(ReadOnlySpan<T> latent, Span<T> output)
    {
        StarNetEncoder<T>.CheckLength(latent.Length, Architecture.LatentDimension, nameof(latent));
        StarNetEncoder<T>.CheckLength(output.Length, Architecture.OutputDimension, nameof(output));
        DecoderPass.Forward<T>(_layers, Architecture.Activation, RowProducts.AsRow(latent), RowProducts.AsRow(output));
    }

    /// <summary>Decodes latent codes, one per row (the forward pass).</summary>
    /// <param name="latents">N x d_0 codes.</param>
    /// <param name="outputs">Receives N x d_K datapoints.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    public void Decode(ReadOnlyMatrixSpan<T> latents, MatrixSpan<T> outputs) => DecodeFromLayer(1, latents, outputs);

    /// <summary>
    /// Runs the forward pass from the input of layer <paramref name="layer"/> (<c>h_(layer-1)</c>) to the data; layer 1
    /// is the whole decoder.
    /// </summary>
    /// <param name="layer">1 to K.</param>
    /// <param name="inputs">N x d_(layer-1) values.</param>
    /// <param name="outputs">Receives N x d_K datapoints.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    public void DecodeFromLayer(int layer, ReadOnlyMatrixSpan<T> inputs, MatrixSpan<T> outputs)
    {
        int din = Architecture.InputWidth(layer);
        StarNetEncoder<T>.CheckShape(inputs, inputs.Rows, din, nameof(inputs));
        StarNetEncoder<T>.CheckShape(outputs, inputs.Rows, Architecture.OutputDimension, nameof(outputs));
        DecoderPass.Forward<T>(_layers.AsSpan(layer - 1), Architecture.Activation, inputs, outputs);
    }

    /// <summary>Reconstructs one datapoint through inference alone: encode, then decode. Allocates nothing once the calling thread is warm.</summary>
    /// <param name="sample">d_K values.</param>
    /// <param name="reconstruction">Receives d_K values; may not overlap <paramref name="sample"/>.</param>
    public void Reconstruct(ReadOnlySpan<T> sample, Span<T> reconstruction)
    {
        Span<T> latent = ThreadBuffers<T>.Get(BufferSlot.Latent, Architecture.LatentDimension);
        Encoder.Encode(sample, latent);
        Decode(latent, reconstruction);
    }

    /// <summary>
    /// Reconstructs datapoints by solving them down to the input of layer <paramref name="throughLayer"/> and decoding
    /// back up: 1 (the default) goes through the latent code; K only through the top layer (the paper's Fig. 2 (b)).
    /// </summary>
    /// <param name="samples">N x d_K datapoints.</param>
    /// <param name="reconstructions">Receives N x d_K values.</param>
    /// <param name="throughLayer">1 to K.</param>
    public void Reconstruct(ReadOnlyMatrixSpan<T> samples, MatrixSpan<T> reconstructions, int throughLayer = 1)
    {
        int din = Architecture.InputWidth(throughLayer);
        StarNetEncoder<T>.CheckShape(reconstructions, samples.Rows, Architecture.OutputDimension, nameof(reconstructions));
        for (int r0 = 0; r0 < samples.Rows; r0 += DecoderPass.ChunkRows)
        {
            int rows = Math.Min(DecoderPass.ChunkRows, samples.Rows - r0);
            MatrixSpan<T> inputs = RowProducts.Buffer<T>(BufferSlot.Latent, rows, din);
            Encoder.EncodeToLayer(throughLayer, samples.Slice(r0, 0, rows, samples.Cols), inputs);
            DecodeFromLayer(throughLayer, inputs, reconstructions.Slice(r0, 0, rows, reconstructions.Cols));
        }
    }

    /// <summary>Samples new datapoints: latent codes from <see cref="LatentPrior"/>, decoded.</summary>
    /// <param name="destination">Receives count x d_K datapoints.</param>
    /// <param name="seed">Seed; the same seed gives the same samples.</param>
    /// <exception cref="InvalidOperationException">The model has no latent prior.</exception>
    public void Generate(MatrixSpan<T> destination, ulong seed)
    {
        LatentGaussian<T> prior = LatentPrior ?? throw new InvalidOperationException("This model has no latent Gaussian (it is fitted at the end of training).");
        var latents = new Matrix<T>(destination.Rows, Architecture.LatentDimension);
        prior.Sample(latents.AsSpan(), seed);
        Decode(latents.AsReadOnlySpan(), destination);
    }

    /// <summary>Samples <paramref name="count"/> new datapoints.</summary>
    /// <param name="count">How many.</param>
    /// <param name="seed">Seed.</param>
    /// <returns>count x d_K datapoints.</returns>
    public Matrix<T> Generate(int count, ulong seed)
    {
        var result = new Matrix<T>(count, Architecture.OutputDimension);
        Generate(result.AsSpan(), seed);
        return result;
    }

    /// <summary>Measures reconstruction through inference alone on a set of datapoints (for example the test set).</summary>
    /// <param name="samples">N x d_K datapoints, N &gt;= 1.</param>
    public ReconstructionMetrics Evaluate(ReadOnlyMatrixSpan<T> samples)
    {
        StarNetEncoder<T>.CheckShape(samples, samples.Rows, Architecture.OutputDimension, nameof(samples));
        int k = _layers.Length, d = Architecture.OutputDimension;
        int chunk = DecoderPass.ChunkRows;
        var latents = new Matrix<T>(chunk, Architecture.LatentDimension);
        var norms = new Matrix<T>(chunk, k);
        var recon = new Matrix<T>(chunk, d);
        double sumSquares = 0, sumAbs = 0;
        var normSums = new double[k];
        for (int r0 = 0; r0 < samples.Rows; r0 += chunk)
        {
            int rows = Math.Min(chunk, samples.Rows - r0);
            ReadOnlyMatrixSpan<T> x = samples.Slice(r0, 0, rows, d);
            MatrixSpan<T> z = latents.Slice(0, 0, rows, latents.Cols);
            MatrixSpan<T> nr = norms.Slice(0, 0, rows, k);
            MatrixSpan<T> xr = recon.Slice(0, 0, rows, d);
            Encoder.Encode(x, z, nr);
            Decode(z, xr);
            for (int r = 0; r < rows; r++)
            {
                (double sq, double abs) = ErrorSums.Of(xr.Row(r), x.Row(r), xr.Row(r));
                sumSquares += sq;
                sumAbs += abs;
                for (int i = 0; i < k; i++)
                {
                    normSums[i] += double.CreateTruncating(nr[r, i]);
                }
            }
        }

        (double mse, double elastic) = ErrorSums.Losses(sumSquares, sumAbs, (double)samples.Rows * d);
        int count = samples.Rows;
        return new ReconstructionMetrics(count, mse, elastic, [.. normSums.Select(s => s / count)]);
    }

    private static void CheckConvolutions(DecoderArchitecture architecture, DenseLayer<T>[] layers, Convolution.ConvUnpoolLayer<T>?[] convolutions)
    {
        if (convolutions.Length != layers.Length)
        {
            throw new ArgumentException($"{convolutions.Length} conv layer entries were given for {layers.Length} layers.", nameof(convolutions));
        }

        for (int i = 0; i < layers.Length; i++)
        {
            Convolution.ConvUnpoolGeometry? expected = architecture.Convolution(i + 1);
            Convolution.ConvUnpoolLayer<T>? conv = convolutions[i];
            if (expected is null != conv is null || (conv is not null && conv.Geometry != expected))
            {
                throw new ArgumentException(
                    $"Layer {i + 1}: the architecture has {(expected is null ? "a dense layer" : expected.ToString())} but {(conv is null ? "no conv layer" : conv.Geometry.ToString())} was given.", nameof(convolutions));
            }

            if (conv is not null)
            {
                (LinearAlgebra.Matrix<T> a, T[] beta) = conv.Dense;
                if (!layers[i].Bias.SequenceEqual(beta) || !layers[i].Weight.ToArray().AsSpan().SequenceEqual(a.ToArray()))
                {
                    throw new ArgumentException($"Layer {i + 1}: the dense layer given is not the dense form of its conv-unpool layer ({conv.Geometry}).", nameof(layers));
                }
            }
        }
    }
}
