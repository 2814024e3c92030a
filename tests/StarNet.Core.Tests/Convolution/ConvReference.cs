using FsCheck;
using FsCheck.Fluent;
using StarNet.Data;
using StarNet.Model.Convolution;

namespace StarNet.Core.Tests.Convolution;

/// <summary>A triple-loop reference of convolution plus depth-to-space, and random geometries for properties.</summary>
internal static class ConvReference
{
    /// <summary>Random small geometries, full and same, odd and even kernels, u from 1 to 3.</summary>
    public static Arbitrary<ConvUnpoolGeometry> Geometries =>
        (from cin in Gen.Choose(1, 3)
         from h in Gen.Choose(1, 6)
         from w in Gen.Choose(1, 6)
         from k in Gen.Choose(1, 5)
         from padding in Gen.Elements(ConvolutionPadding.Full, ConvolutionPadding.Same)
         from cout in Gen.Choose(1, 3)
         from u in Gen.Choose(1, 3)
         select new ConvUnpoolGeometry(new ImageShape(cin, h, w), k, padding, cout, u)).ToArbitrary();

    /// <summary>
    /// The pre-activation output map of one input map, straight from the definition: cross-correlation with zero
    /// padding, then pixel (c, u p + i, u q + j) from conv channel c u^2 + i u + j at (p, q).
    /// </summary>
    public static double[] Forward(ConvUnpoolGeometry g, double[] kernels, double[] bias, double[] input)
    {
        int k = g.KernelSize;
        int u = g.Unpool;
        var output = new double[g.OutputLength];
        for (int o = 0; o < g.ConvChannels; o++)
        {
            for (int p = 0; p < g.ConvHeight; p++)
            {
                for (int q = 0; q < g.ConvWidth; q++)
                {
                    double sum = bias[o];
                    for (int c = 0; c < g.InputChannels; c++)
                    {
                        for (int a = 0; a < k; a++)
                        {
                            for (int e = 0; e < k; e++)
                            {
                                int y = p + a - g.PadBefore;
                                int x = q + e - g.PadBefore;
                                if (y >= 0 && y < g.Input.Height && x >= 0 && x < g.Input.Width)
                                {
                                    sum += kernels[(((((o * g.InputChannels) + c) * k) + a) * k) + e] * input[g.Input.IndexOf(c, y, x)];
                                }
                            }
                        }
                    }

                    int channel = o / (u * u);
                    int i = o % (u * u) / u;
                    int j = o % u;
                    output[g.Output.IndexOf(channel, (u * p) + i, (u * q) + j)] = sum;
                }
            }
        }

        return output;
    }

    public static double[] Random(Random random, int length, double scale = 1)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = scale * ((2 * random.NextDouble()) - 1);
        }

        return values;
    }

    public static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);
}
