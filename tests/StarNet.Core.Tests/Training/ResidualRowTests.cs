using StarNet.Model;
using StarNet.Numerics;

namespace StarNet.Core.Tests.Training;

public class ResidualRowTests
{
    [Fact]
    public void The_fused_pass_matches_the_step_by_step_definition_for_every_activation_and_tail_length()
    {
        var rng = new Random(4);
        foreach (Activation a in new[] { Activation.LeakyRelu(0.3), Activation.Identity, Activation.Tanh, Activation.Sigmoid })
        {
            for (int n = 1; n <= 40; n++)
            {
                double[] z = Random(rng, n), b = Random(rng, n), t = Random(rng, n), y = Random(rng, n);
                double[] expectedOut = new double[n];
                double pre = 0, sq = 0, mag = 0;
                for (int i = 0; i < n; i++)
                {
                    double v = z[i] + b[i];
                    pre += (v - t[i]) * (v - t[i]);
                    expectedOut[i] = a.Apply(v);
                    sq += (expectedOut[i] - y[i]) * (expectedOut[i] - y[i]);
                    mag += Math.Abs(expectedOut[i] - y[i]);
                }

                (double p, double s, double m) = ResidualRow.Process<double>(z, b, t, y, a);
                Assert.Equal(pre, p, 12);
                Assert.Equal(sq, s, 12);
                Assert.Equal(mag, m, 12);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(expectedOut[i], z[i], 14);
                }
            }
        }
    }

    private static double[] Random(Random rng, int n) => [.. Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 4) - 2)];
}
