using System.Diagnostics;
using System.Numerics;
using StarNet.LinearAlgebra;

namespace StarNet.Model.Convolution;

/// <summary>
/// Layer-wise training of a convolutional StarNet (paper section 3.3): from the layer nearest the data down to the
/// first, alternate the latent solve and the kernel solve for a few epochs, then hand the solved latents down as
/// the next layer's targets. No gradients.
/// </summary>
public static class ConvTrainer
{
    /// <summary>Trains a network of the given layers on <paramref name="data"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="layers">The layer shapes, latent first; the last one's output is one datapoint.</param>
    /// <param name="data">N x D datapoints, one per row (CHW images).</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Called after every step, or null.</param>
    /// <param name="cancellationToken">Stops between steps and between blocks of a weight solve.</param>
    /// <returns>The network, the training images' latent codes and the history.</returns>
    /// <exception cref="ArgumentException">Shapes do not chain or match the data, or Theorem 3 or 4 fails; the message names the layer and the numbers.</exception>
    public static ConvTrainingResult<T> Train<T>(
        IReadOnlyList<ConvUnpoolGeometry> layers,
        ReadOnlyMatrixSpan<T> data,
        ConvTrainingOptions? options = null,
        Action<ConvTrainingRecord>? progress = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layers);
        options ??= new ConvTrainingOptions();
        options.Validate();
        CheckBeforeTraining(layers, data, options);

        int n = data.Rows;
        var random = new Random(options.Seed);
        var history = new List<ConvTrainingRecord>();
        var trained = new ConvUnpoolLayer<T>[layers.Count];
        Matrix<T> targets = Matrix<T>.CopyOf(data);
        Matrix<T> latents = null!;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            ConvUnpoolGeometry g = layers[i];
            var context = new LayerContext<T>(i, layers, trained, data, targets, options);
            ConvUnpoolLayer<T> layer = RandomLayer<T>(g, random);
            latents = RandomMatrix<T>(n, g.InputLength, random, 1.0);
            history.Add(context.Evaluate(layer, latents, 0, ConvTrainingStep.Init, 0, progress));
            ConvTrainingStep[] order = options.WeightsFirst
                ? [ConvTrainingStep.Weights, ConvTrainingStep.Latents]
                : [ConvTrainingStep.Latents, ConvTrainingStep.Weights];
            ConvTrainingStep last = ConvTrainingStep.Init;
            for (int epoch = 1; epoch <= options.EpochsPerLayer; epoch++)
            {
                foreach (ConvTrainingStep step in order)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var watch = Stopwatch.StartNew();
                    if (step == ConvTrainingStep.Latents)
                    {
                        ConvUnpoolSolver.SolveLatents(layer, context.PreActivationTargets, latents.AsSpan(), options.LatentRidge);
                    }
                    else
                    {
                        IReadOnlyList<IReadOnlyList<int>> subsets = DrawSubsets(n, options.WeightSubsetSize, options.WeightSubsetCount, random);
                        layer = ConvUnpoolSolver.SolveKernels(g, latents.AsReadOnlySpan(), context.PreActivationTargets, subsets, options.Ridge, options.WeightSolveMethod, cancellationToken);
                    }

                    history.Add(context.Evaluate(layer, latents, epoch, step, watch.Elapsed.TotalSeconds, progress));
                    last = step;
                }
            }

            if (options.CloseWithLatentSolve && last != ConvTrainingStep.Latents)
            {
                var watch = Stopwatch.StartNew();
                ConvUnpoolSolver.SolveLatents(layer, context.PreActivationTargets, latents.AsSpan(), options.LatentRidge);
                history.Add(context.Evaluate(layer, latents, options.EpochsPerLayer, ConvTrainingStep.Latents, watch.Elapsed.TotalSeconds, progress));
            }

            trained[i] = layer;
            targets = latents;
        }

        return new ConvTrainingResult<T>(new ConvNetwork<T>(trained, options.NegativeSlope), latents, history);
    }

    /// <summary>
    /// The subsets of one weight solve: <paramref name="count"/> lists of <paramref name="size"/> image indices (all
    /// images when <paramref name="size"/> is null), consecutive slices of random permutations of the images.
    /// </summary>
    /// <param name="images">N.</param>
    /// <param name="size">Images per subset, or null for all.</param>
    /// <param name="count">Subsets.</param>
    /// <param name="random">The random source.</param>
    public static IReadOnlyList<IReadOnlyList<int>> DrawSubsets(int images, int? size, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int s = Math.Min(size ?? images, images);
        var subsets = new List<IReadOnlyList<int>>(count);
        int[] permutation = [];
        int next = images;
        for (int k = 0; k < count; k++)
        {
            if (s == images)
            {
                subsets.Add(Enumerable.Range(0, images).ToArray());
                continue;
            }

            if (next + s > images)
            {
                permutation = Enumerable.Range(0, images).ToArray();
                random.Shuffle(permutation);
                next = 0;
            }

            int[] subset = permutation[next..(next + s)];
            Array.Sort(subset);
            subsets.Add(subset);
            next += s;
        }

        return subsets;
    }

    private static void CheckBeforeTraining<T>(IReadOnlyList<ConvUnpoolGeometry> layers, ReadOnlyMatrixSpan<T> data, ConvTrainingOptions options)
        where T : unmanaged
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        if (data.Cols != layers[^1].OutputLength)
        {
            throw new ArgumentException($"The data has {data.Cols} values per image but the last layer produces {layers[^1].Output} = {layers[^1].OutputLength}.", nameof(data));
        }

        int? weightImages = options.Ridge > 0 ? null : Math.Min(options.WeightSubsetSize ?? data.Rows, data.Rows);
        var errors = new List<string>();
        for (int i = 0; i < layers.Count; i++)
        {
            if (i > 0 && layers[i - 1].Output != layers[i].Input)
            {
                errors.Add($"Layer {i} produces {layers[i - 1].Output} but layer {i + 1} takes {layers[i].Input}.");
            }

            layers[i].Check($"Layer {i + 1}", weightImages, errors, new List<string>());
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(layers));
        }
    }

    private static ConvUnpoolLayer<T> RandomLayer<T>(ConvUnpoolGeometry g, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> kernels = RandomMatrix<T>(g.ConvChannels, g.KernelTaps, random, 1.0 / Math.Sqrt(g.KernelTaps));
        return new ConvUnpoolLayer<T>(g, kernels.AsReadOnlySpan(), new T[g.ConvChannels]);
    }

    private static Matrix<T> RandomMatrix<T>(int rows, int cols, Random random, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            Span<T> row = m.AsSpan().Row(i);
            for (int j = 0; j < cols; j++)
            {
                // Box-Muller: a standard normal from two uniforms.
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                row[j] = T.CreateTruncating(scale * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
            }
        }

        return m;
    }

    /// <summary>What one layer's training needs besides its own parameters: its targets and the layers above it.</summary>
    private sealed class LayerContext<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly int _index;
        private readonly IReadOnlyList<ConvUnpoolGeometry> _layers;
        private readonly ConvUnpoolLayer<T>[] _trained;
        private readonly Matrix<T> _data;
        private readonly Matrix<T> _targets;
        private readonly Matrix<T> _preActivation;
        private readonly ConvTrainingOptions _options;

        public LayerContext(int index, IReadOnlyList<ConvUnpoolGeometry> layers, ConvUnpoolLayer<T>[] trained, ReadOnlyMatrixSpan<T> data, Matrix<T> targets, ConvTrainingOptions options)
        {
            _index = index;
            _layers = layers;
            _trained = trained;
            _data = index == layers.Count - 1 ? targets : Matrix<T>.CopyOf(data);
            _targets = targets;
            _options = options;
            _preActivation = Matrix<T>.CopyOf(targets.AsReadOnlySpan());
            for (int r = 0; r < _preActivation.Rows; r++)
            {
                LeakyRelu.Invert(_preActivation.AsSpan().Row(r), options.NegativeSlope);
            }
        }

        public ReadOnlyMatrixSpan<T> PreActivationTargets => _preActivation.AsReadOnlySpan();

        public ConvTrainingRecord Evaluate(ConvUnpoolLayer<T> layer, Matrix<T> latents, int epoch, ConvTrainingStep step, double seconds, Action<ConvTrainingRecord>? progress)
        {
            int n = latents.Rows;
            var output = new Matrix<T>(n, layer.Geometry.OutputLength);
            layer.Forward(latents.AsReadOnlySpan(), output.AsSpan());
            for (int r = 0; r < n; r++)
            {
                LeakyRelu.Apply(output.AsSpan().Row(r), _options.NegativeSlope);
            }

            double layerMse = MeanSquaredError(output.AsReadOnlySpan(), _targets.AsReadOnlySpan());
            Matrix<T> decoded = output;
            if (_index < _layers.Count - 1)
            {
                var above = new ConvNetwork<T>(_trained[(_index + 1)..], _options.NegativeSlope);
                decoded = new Matrix<T>(n, above.OutputLength);
                above.Decode(output.AsReadOnlySpan(), decoded.AsSpan());
            }

            double networkMse = _index == _layers.Count - 1 ? layerMse : MeanSquaredError(decoded.AsReadOnlySpan(), _data.AsReadOnlySpan());
            int previewRows = Math.Min(_options.PreviewImages, n);
            var preview = new float[previewRows * decoded.Cols];
            for (int r = 0; r < previewRows; r++)
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<T, float>(decoded.AsReadOnlySpan().Row(r), preview.AsSpan(r * decoded.Cols, decoded.Cols));
            }

            var record = new ConvTrainingRecord(_index + 1, epoch, step, layerMse, networkMse, seconds, preview);
            progress?.Invoke(record);
            return record;
        }

        private static double MeanSquaredError(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b)
        {
            double sum = 0;
            for (int r = 0; r < a.Rows; r++)
            {
                ReadOnlySpan<T> x = a.Row(r);
                ReadOnlySpan<T> y = b.Row(r);
                for (int j = 0; j < x.Length; j++)
                {
                    double d = double.CreateTruncating(x[j] - y[j]);
                    sum += d * d;
                }
            }

            return sum / Math.Max(1, (double)a.Rows * a.Cols);
        }
    }
}
