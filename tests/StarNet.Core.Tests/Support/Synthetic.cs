using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using StarNet.LinearAlgebra;
using StarNet.Model;

namespace StarNet.Core.Tests.Support;

/// <summary>Random decoders and the data they generate exactly, for recovery and round-trip properties.</summary>
internal static class Synthetic
{
    public static readonly Activation[] Activations =
    [
        Activation.LeakyRelu(0.5), Activation.LeakyRelu(0.2), Activation.LeakyRelu(2.0), Activation.Identity, Activation.Tanh, Activation.Sigmoid,
    ];

    /// <summary>
    /// A decoder with Gaussian weights of standard deviation <paramref name="scale"/> / sqrt(d_in) and small biases, so that
    /// pre-activations of standard normal latents have standard deviation about <paramref name="scale"/> (far from the
    /// tanh/sigmoid clamp).
    /// </summary>
    public static StarNetModel<T> RandomModel<T>(int[] widths, Activation activation, int seed, double scale = 0.5)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var arch = new DecoderArchitecture(widths, activation);
        var layers = new List<DenseLayer<T>>();
        for (int i = 1; i <= arch.LayerCount; i++)
        {
            int din = arch.InputWidth(i), dout = arch.OutputWidth(i);
            var w = new Matrix<T>(dout, din);
            Fill(w.Span, rng, scale / Math.Sqrt(din));
            var b = new T[dout];
            Fill(b, rng, 0.1);
            layers.Add(new DenseLayer<T>(w.AsReadOnlySpan(), b));
        }

        return new StarNetModel<T>(arch, layers);
    }

    public static Matrix<T> Gaussian<T>(int rows, int cols, int seed, double scale = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        Fill(m.Span, new Random(seed), scale);
        return m;
    }

    public static Matrix<T> Decode<T>(StarNetModel<T> model, Matrix<T> latents)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new Matrix<T>(latents.Rows, model.Architecture.OutputDimension);
        model.Decode(latents.AsReadOnlySpan(), x.AsSpan());
        return x;
    }

    public static Matrix<TOut> Convert<TIn, TOut>(Matrix<TIn> m)
        where TIn : unmanaged, IFloatingPointIeee754<TIn>
        where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var r = new Matrix<TOut>(m.Rows, m.Cols);
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                r[i, j] = TOut.CreateTruncating(m[i, j]);
            }
        }

        return r;
    }

    public static double MeanSquare<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        for (int i = 0; i < m.Rows; i++)
        {
            foreach (T v in m.Row(i))
            {
                s += double.CreateTruncating(v) * double.CreateTruncating(v);
            }
        }

        return s / ((double)m.Rows * m.Cols);
    }

    public static double MaxAbsDifference<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worst = 0;
        for (int i = 0; i < a.Rows; i++)
        {
            for (int j = 0; j < a.Cols; j++)
            {
                worst = Math.Max(worst, Math.Abs(double.CreateTruncating(a[i, j]) - double.CreateTruncating(b[i, j])));
            }
        }

        return worst;
    }

    public static double MaxAbs<T>(ReadOnlyMatrixSpan<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worst = 0;
        for (int i = 0; i < a.Rows; i++)
        {
            foreach (T v in a.Row(i))
            {
                worst = Math.Max(worst, Math.Abs(double.CreateTruncating(v)));
            }
        }

        return worst;
    }

    public static bool BitIdentical<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        a.Rows == b.Rows && a.Cols == b.Cols && a.ToArray().AsSpan().SequenceEqual(b.ToArray());

    private static void Fill<T>(Span<T> span, Random rng, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < span.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            span[i] = T.CreateTruncating(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}

/// <summary>A random decoder shape for properties: widths strictly increasing from the latent code, an activation, a dataset size.</summary>
public sealed record DecoderCase(int[] Widths, int ActivationIndex, int Datapoints, int Seed)
{
    internal Activation Activation => Synthetic.Activations[ActivationIndex];

    public override string ToString() => $"widths={string.Join(",", Widths)} activation={Activation} N={Datapoints} seed={Seed}";
}

public static class DecoderArbitraries
{
    /// <summary>One to three layers, each at least one unit wider than the layer below, N well above every layer's inputs.</summary>
    public static Arbitrary<DecoderCase> Decoders() =>
        (from layers in Gen.Choose(1, 3)
         from d0 in Gen.Choose(1, 6)
         from steps in Gen.ArrayOf(Gen.Choose(1, 7), layers)
         from activation in Gen.Choose(0, Synthetic.Activations.Length - 1)
         from extra in Gen.Choose(3, 40)
         from seed in Gen.Choose(0, int.MaxValue)
         let widths = Widths(d0, steps)
         select new DecoderCase(widths, activation, widths[^2] + 1 + extra, seed)).ToArbitrary();

    private static int[] Widths(int d0, int[] steps)
    {
        var w = new int[steps.Length + 1];
        w[0] = d0;
        for (int i = 0; i < steps.Length; i++)
        {
            w[i + 1] = w[i] + steps[i];
        }

        return w;
    }
}
