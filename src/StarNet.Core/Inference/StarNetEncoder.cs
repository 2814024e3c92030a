using System.Numerics;
using System.Numerics.Tensors;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Numerics;
using StarNet.Solvers;

namespace StarNet.Inference;

/// <summary>
/// Latent inference for a trained decoder (the paper's Lemma 3): from a datapoint down to its latent code, one
/// least-squares solve per layer, top layer first, with each layer's factorization computed once.
/// </summary>
/// <remarks>
/// <para>
/// Per layer i, with target <c>t_i = a^-1(h_i)</c> (<c>h_K</c> = the datapoint), the latent solve is
/// <c>h*_(i-1) = argmin_h ||W_i h + b_i - t_i|| = P_i (t_i - b_i)</c> with the pseudo-inverse
/// <c>P_i = (W_i^T W_i)^-1 W_i^T</c> (Eq. 3), formed once from a QR factorization of W_i when the encoder is built.
/// A solve is then one matrix product (GEMM over a block of datapoints; for one datapoint, a sum of the rows of
/// <c>P_i^T</c> weighted by its inputs that skips the zero inputs, so that an image's zero pixels read nothing), and
/// the encoder holds no mutable state: it is safe to call from many threads at once. Scratch lives in per-thread buffers, so warm
/// calls allocate nothing.
/// </para>
/// <para>
/// The residual norm of layer i is <c>||W_i h*_(i-1) + b_i - t_i||</c>, pre-activation (Lemma 4); the outlier
/// score compares these with the training set's (see <see cref="OutlierCalibration"/>).
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class StarNetEncoder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseLayer<T>[] _layers;
    private readonly Matrix<T>[] _pseudoInverses;
    private readonly Matrix<T>[] _pseudoInversesTransposed;
    private readonly T[][] _offsets;
    private readonly LatentSystem<T>?[] _factoredSolves;
    private readonly Activation _activation;
    private readonly OutlierCalibration? _calibration;

    internal StarNetEncoder(DecoderArchitecture architecture, DenseLayer<T>[] layers, OutlierCalibration? calibration)
    {
        architecture.Check().ThrowIfInvalid();
        _layers = layers;
        _activation = architecture.Activation;
        _calibration = calibration;
        _pseudoInverses = new Matrix<T>[layers.Length];
        _pseudoInversesTransposed = new Matrix<T>[layers.Length];
        _offsets = new T[layers.Length][];
        _factoredSolves = new LatentSystem<T>?[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            DenseLayer<T> layer = layers[i];
            var p = new Matrix<T>(layer.InputWidth, layer.OutputWidth);
            double condition = LayerSolver.PseudoInverse(layer.Weight, p.AsSpan(), 0.0);
            if (!LayerSolver.PseudoInverseIsAccurate<T>(condition))
            {
                // The pseudo-inverse's error is a factor kappa larger than the factorization's: solve through it.
                _factoredSolves[i] = new LatentSystem<T>(layer.Weight, layer.Bias, 0.0);
            }

            var offset = new T[layer.InputWidth];
            Blas.Gemv(T.One, p.AsReadOnlySpan(), MatrixOp.None, layer.Bias, T.Zero, offset);
            _pseudoInverses[i] = p;
            _pseudoInversesTransposed[i] = Transpose(p);
            _offsets[i] = offset;
        }
    }

    /// <summary>d_K, the width of a datapoint.</summary>
    public int InputDimension => _layers[^1].OutputWidth;

    /// <summary>d_0, the width of the latent code.</summary>
    public int LatentDimension => _layers[0].InputWidth;

    /// <summary>K, the number of layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>The pseudo-inverse <c>P_i</c> (d_(i-1) x d_i) of layer <paramref name="layer"/>'s weight.</summary>
    /// <param name="layer">1 to <see cref="LayerCount"/>.</param>
    public ReadOnlyMatrixSpan<T> PseudoInverse(int layer) => _pseudoInverses[CheckLayer(layer) - 1].AsReadOnlySpan();

    /// <summary>Recovers the latent code of one datapoint. Allocates nothing once the calling thread is warm.</summary>
    /// <param name="sample">The datapoint, d_K values.</param>
    /// <param name="latent">Receives the latent code, d_0 values.</param>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void Encode(ReadOnlySpan<T> sample, Span<T> latent)
    {
        CheckLength(sample.Length, InputDimension, nameof(sample));
        CheckLength(latent.Length, LatentDimension, nameof(latent));
        EncodeBlock(RowProducts.AsRow(sample), RowProducts.AsRow(latent), default, false, 1);
    }

    /// <summary>Recovers the latent code of one datapoint and its residual norm at every layer.</summary>
    /// <param name="sample">The datapoint, d_K values.</param>
    /// <param name="latent">Receives the latent code, d_0 values.</param>
    /// <param name="layerResidualNorms">Receives r_1 ... r_K (index 0 = layer 1).</param>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void Encode(ReadOnlySpan<T> sample, Span<T> latent, Span<T> layerResidualNorms)
    {
        CheckLength(sample.Length, InputDimension, nameof(sample));
        CheckLength(latent.Length, LatentDimension, nameof(latent));
        CheckLength(layerResidualNorms.Length, LayerCount, nameof(layerResidualNorms));
        EncodeBlock(RowProducts.AsRow(sample), RowProducts.AsRow(latent), RowProducts.AsRow(layerResidualNorms), true, 1);
    }

    /// <summary>Recovers the latent codes of many datapoints (one per row). Allocates nothing once the calling thread is warm.</summary>
    /// <param name="samples">N x d_K datapoints.</param>
    /// <param name="latents">Receives N x d_0 latent codes.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    public void Encode(ReadOnlyMatrixSpan<T> samples, MatrixSpan<T> latents) => EncodeToLayer(1, samples, latents);

    /// <summary>Recovers the latent codes of many datapoints and every layer's residual norm.</summary>
    /// <param name="samples">N x d_K datapoints.</param>
    /// <param name="latents">Receives N x d_0 latent codes.</param>
    /// <param name="layerResidualNorms">Receives N x K residual norms (column i - 1 = layer i).</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    public void Encode(ReadOnlyMatrixSpan<T> samples, MatrixSpan<T> latents, MatrixSpan<T> layerResidualNorms)
    {
        CheckShape(samples, samples.Rows, InputDimension, nameof(samples));
        CheckShape(latents, samples.Rows, LatentDimension, nameof(latents));
        CheckShape(layerResidualNorms, samples.Rows, LayerCount, nameof(layerResidualNorms));
        for (int r0 = 0; r0 < samples.Rows; r0 += DecoderPass.ChunkRows)
        {
            int rows = Math.Min(DecoderPass.ChunkRows, samples.Rows - r0);
            EncodeBlock(
                samples.Slice(r0, 0, rows, samples.Cols),
                latents.Slice(r0, 0, rows, latents.Cols),
                layerResidualNorms.Slice(r0, 0, rows, layerResidualNorms.Cols),
                true,
                1);
        }
    }

    /// <summary>
    /// Solves the datapoints down to the input of layer <paramref name="layer"/>, <c>h*_(layer-1)</c>; layer 1 gives
    /// the latent code, layer K only the top layer's solve (the paper's Fig. 2 (b) reconstructs from there).
    /// </summary>
    /// <param name="layer">1 to <see cref="LayerCount"/>.</param>
    /// <param name="samples">N x d_K datapoints.</param>
    /// <param name="inputs">Receives N x d_(layer-1) values.</param>
    /// <exception cref="ArgumentException">A shape is wrong.</exception>
    public void EncodeToLayer(int layer, ReadOnlyMatrixSpan<T> samples, MatrixSpan<T> inputs)
    {
        CheckLayer(layer);
        CheckShape(samples, samples.Rows, InputDimension, nameof(samples));
        CheckShape(inputs, samples.Rows, _layers[layer - 1].InputWidth, nameof(inputs));
        for (int r0 = 0; r0 < samples.Rows; r0 += DecoderPass.ChunkRows)
        {
            int rows = Math.Min(DecoderPass.ChunkRows, samples.Rows - r0);
            EncodeBlock(samples.Slice(r0, 0, rows, samples.Cols), inputs.Slice(r0, 0, rows, inputs.Cols), default, false, layer);
        }
    }

    /// <summary>The outlier score of one datapoint. Allocates nothing once the calling thread is warm.</summary>
    /// <param name="sample">The datapoint, d_K values.</param>
    /// <exception cref="InvalidOperationException">The model has no outlier calibration.</exception>
    public OutlierScore OutlierScore(ReadOnlySpan<T> sample)
    {
        OutlierCalibration calibration = RequireCalibration();
        Span<T> latent = ThreadBuffers<T>.Get(BufferSlot.Latent, LatentDimension);
        Span<T> norms = ThreadBuffers<T>.Get(BufferSlot.LayerNorms, LayerCount);
        Encode(sample, latent, norms);
        return calibration.Evaluate<T>(norms);
    }

    /// <summary>The outlier scores of many datapoints.</summary>
    /// <param name="samples">N x d_K datapoints.</param>
    /// <param name="scores">Receives N scores.</param>
    /// <param name="tailProbabilities">Receives N tail probabilities.</param>
    /// <exception cref="InvalidOperationException">The model has no outlier calibration.</exception>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void OutlierScores(ReadOnlyMatrixSpan<T> samples, Span<double> scores, Span<double> tailProbabilities)
    {
        OutlierCalibration calibration = RequireCalibration();
        CheckShape(samples, samples.Rows, InputDimension, nameof(samples));
        CheckLength(scores.Length, samples.Rows, nameof(scores));
        CheckLength(tailProbabilities.Length, samples.Rows, nameof(tailProbabilities));
        for (int r0 = 0; r0 < samples.Rows; r0 += DecoderPass.ChunkRows)
        {
            int rows = Math.Min(DecoderPass.ChunkRows, samples.Rows - r0);
            MatrixSpan<T> latents = RowProducts.Buffer<T>(BufferSlot.Latent, rows, LatentDimension);
            MatrixSpan<T> norms = RowProducts.Buffer<T>(BufferSlot.LayerNorms, rows, LayerCount);
            EncodeBlock(samples.Slice(r0, 0, rows, samples.Cols), latents, norms, true, 1);
            for (int r = 0; r < rows; r++)
            {
                OutlierScore s = calibration.Evaluate<T>(norms.Row(r));
                scores[r0 + r] = s.Score;
                tailProbabilities[r0 + r] = s.TailProbability;
            }
        }
    }

    /// <summary>
    /// The solve for one block of rows: <c>u = a^-1(x)</c>, then per layer from K down to <paramref name="stopLayer"/>:
    /// <c>h = P_i u - P_i b_i</c> (the pre-filled offset, then a GEMM with beta = 1, or for one row the weighted rows
    /// of P_i^T; through the factorization of W_i for a weight whose pseudo-inverse is not accurate enough,
    /// <see cref="LatentSystem{T}"/>), the residual norm when asked, and <c>u = a^-1(h)</c> for the next layer down.
    /// </summary>
    private void EncodeBlock(ReadOnlyMatrixSpan<T> x, MatrixSpan<T> result, MatrixSpan<T> norms, bool withNorms, int stopLayer)
    {
        int rows = x.Rows;
        int slot = BufferSlot.EncodeA;
        MatrixSpan<T> u = RowProducts.Buffer<T>(slot, rows, x.Cols);
        for (int r = 0; r < rows; r++)
        {
            _activation.Inverse(x.Row(r), u.Row(r));
        }

        for (int layer = _layers.Length; layer >= stopLayer; layer--)
        {
            DenseLayer<T> dense = _layers[layer - 1];
            int other = slot == BufferSlot.EncodeA ? BufferSlot.EncodeB : BufferSlot.EncodeA;
            MatrixSpan<T> h = layer == stopLayer ? result : RowProducts.Buffer<T>(other, rows, dense.InputWidth);
            if (_factoredSolves[layer - 1] is { } factored)
            {
                factored.SolveRows(u, h, RowProducts.Buffer<T>(BufferSlot.Residual, rows, dense.OutputWidth));
            }
            else if (rows == 1)
            {
                // One sample: h += P u, as a sum of the rows of P^T that u's non-zero entries select when u is mostly
                // zeros (zero pixels, which the inverse activation keeps at zero, read nothing), else as a GEMV.
                RowProducts.FillRows(h, _offsets[layer - 1], T.NegativeOne);
                RowProducts.AddProduct<T>(_pseudoInverses[layer - 1].AsReadOnlySpan(), _pseudoInversesTransposed[layer - 1].AsReadOnlySpan(), u.Row(0), h.Row(0));
            }
            else
            {
                RowProducts.FillRows(h, _offsets[layer - 1], T.NegativeOne);
                RowProducts.MultiplyTransposed(u, _pseudoInverses[layer - 1].AsReadOnlySpan(), T.One, h);
            }

            if (withNorms)
            {
                MatrixSpan<T> z = RowProducts.Buffer<T>(BufferSlot.Residual, rows, dense.OutputWidth);
                RowProducts.MultiplyTransposed(h, dense.Weight, T.Zero, z);
                for (int r = 0; r < rows; r++)
                {
                    Span<T> zr = z.Row(r);
                    TensorPrimitives.Add(zr, dense.Bias, zr);
                    TensorPrimitives.Subtract(zr, u.Row(r), zr);
                    norms[r, layer - 1] = TensorPrimitives.Norm<T>(zr);
                }
            }

            if (layer > stopLayer)
            {
                for (int r = 0; r < rows; r++)
                {
                    _activation.Inverse<T>(h.Row(r), h.Row(r));
                }

                u = h;
                slot = other;
            }
        }
    }

    private static Matrix<T> Transpose(Matrix<T> p)
    {
        var t = new Matrix<T>(p.Cols, p.Rows);
        for (int i = 0; i < p.Rows; i++)
        {
            for (int j = 0; j < p.Cols; j++)
            {
                t[j, i] = p[i, j];
            }
        }

        return t;
    }

    private OutlierCalibration RequireCalibration() =>
        _calibration ?? throw new InvalidOperationException("This model has no outlier calibration (it is fitted at the end of training on the training residuals).");

    private int CheckLayer(int layer)
    {
        if (layer < 1 || layer > _layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Layers are numbered 1 (nearest the latent code) to {_layers.Length}.");
        }

        return layer;
    }

    internal static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} values; expected {expected}.", name);
        }
    }

    internal static void CheckShape(ReadOnlyMatrixSpan<T> m, int rows, int cols, string name)
    {
        if (m.Rows != rows || m.Cols != cols)
        {
            throw new ArgumentException($"{name} is {m.Rows}x{m.Cols}; expected {rows}x{cols}.", name);
        }
    }
}
