using FsCheck;
using FsCheck.Xunit;
using StarNet.Core.Tests.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;

namespace StarNet.Core.Tests.Inference;

/// <summary>Latent inference inverts the decoder: encoding a decoded latent code returns it (Lemma 3).</summary>
[Properties(Arbitrary = [typeof(DecoderArbitraries)], MaxTest = 60)]
public class EncoderProperties
{
    [Property]
    public void Encode_of_decoded_latents_returns_them_in_double(DecoderCase c) => RoundTrip<double>(c, 1e-9);

    [Property]
    public void Encode_of_decoded_latents_returns_them_in_float(DecoderCase c) => RoundTrip<float>(c, 2e-3);

    [Property]
    public void Single_sample_encode_and_decode_agree_with_batch(DecoderCase c)
    {
        StarNetModel<double> model = Synthetic.RandomModel<double>(c.Widths, c.Activation, c.Seed);
        Matrix<double> z = Synthetic.Gaussian<double>(c.Datapoints, c.Widths[0], c.Seed + 1);
        Matrix<double> x = Synthetic.Decode(model, z);
        var batch = new Matrix<double>(c.Datapoints, c.Widths[0]);
        model.Encoder.Encode(x.AsReadOnlySpan(), batch.AsSpan());
        var single = new double[c.Widths[0]];
        var decoded = new double[c.Widths[^1]];
        for (int r = 0; r < c.Datapoints; r++)
        {
            model.Encoder.Encode(x.AsReadOnlySpan().Row(r), single);
            for (int j = 0; j < single.Length; j++)
            {
                Assert.True(Math.Abs(single[j] - batch[r, j]) <= 1e-10 * (1 + Math.Abs(batch[r, j])), $"row {r} col {j}: single {single[j]} vs batch {batch[r, j]} for {c}");
            }

            model.Decode(z.AsReadOnlySpan().Row(r), decoded);
            for (int j = 0; j < decoded.Length; j++)
            {
                Assert.True(Math.Abs(decoded[j] - x[r, j]) <= 1e-12 * (1 + Math.Abs(x[r, j])), $"decode row {r} col {j} for {c}");
            }
        }
    }

    private static void RoundTrip<T>(DecoderCase c, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        StarNetModel<T> model = Synthetic.RandomModel<T>(c.Widths, c.Activation, c.Seed);
        Matrix<T> z = Synthetic.Gaussian<T>(c.Datapoints, c.Widths[0], c.Seed + 1);
        Matrix<T> x = Synthetic.Decode(model, z);
        var recovered = new Matrix<T>(c.Datapoints, c.Widths[0]);
        model.Encoder.Encode(x.AsReadOnlySpan(), recovered.AsSpan());
        double error = 0, zMax = Synthetic.MaxAbs(z.AsReadOnlySpan());
        for (int r = 0; r < c.Datapoints; r++)
        {
            if (!WithinInvertibleRange(model, z, r))
            {
                continue;
            }

            for (int j = 0; j < c.Widths[0]; j++)
            {
                error = Math.Max(error, Math.Abs(double.CreateTruncating(recovered[r, j]) - double.CreateTruncating(z[r, j])) / (1 + zMax));
            }
        }

        Assert.True(error <= tolerance, $"encode(decode(z)) differs from z by {error:E3} (relative) for {c}");
    }

    /// <summary>
    /// Whether every layer's output for datapoint r lies where the activation's inverse is exact: tanh and sigmoid
    /// invert after clamping to <see cref="Activation.ClampMargin"/> inside their open range (documented), so Lemma 3's
    /// round trip holds only for values inside the clamp. Twice the margin leaves room for the decode's rounding.
    /// (A CI run drew tanh 1 -> 7 with an output of -0.99993, which the clamp moves from pre-activation -4.87 to -4.95.)
    /// </summary>
    private static bool WithinInvertibleRange<T>(StarNetModel<T> model, Matrix<T> z, int r)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ActivationKind kind = model.Architecture.Activation.Kind;
        if (kind != ActivationKind.Tanh && kind != ActivationKind.Sigmoid)
        {
            return true;
        }

        double m = 2 * Activation.ClampMargin, lo = kind == ActivationKind.Tanh ? -1 + m : m, hi = 1 - m;
        double[] h = new double[z.Cols];
        for (int j = 0; j < h.Length; j++)
        {
            h[j] = double.CreateTruncating(z[r, j]);
        }

        foreach (DenseLayer<T> layer in model.Layers)
        {
            var next = new double[layer.OutputWidth];
            for (int i = 0; i < next.Length; i++)
            {
                double y = double.CreateTruncating(layer.Bias[i]);
                for (int j = 0; j < h.Length; j++)
                {
                    y += double.CreateTruncating(layer.Weight[i, j]) * h[j];
                }

                next[i] = kind == ActivationKind.Tanh ? Math.Tanh(y) : 1 / (1 + Math.Exp(-y));
                if (next[i] < lo || next[i] > hi)
                {
                    return false;
                }
            }

            h = next;
        }

        return true;
    }
}
