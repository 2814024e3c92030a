using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Model;

namespace StarNet.Core.Tests.Model;

public class ActivationTests
{
    [Property(MaxTest = 200)]
    public void Leaky_relu_inverse_undoes_the_activation(NormalFloat x, PositiveInt slopeIndex)
    {
        double[] slopes = [0.01, 0.2, 0.5, 1.0, 2.0, 7.0];
        Activation a = Activation.LeakyRelu(slopes[slopeIndex.Get % slopes.Length]);
        double v = x.Get;
        double back = a.Inverse(a.Apply(v));
        Assert.True(Math.Abs(back - v) <= 4e-16 * Math.Abs(v), $"{a}: a^-1(a({v})) = {back}");
    }

    [Property(MaxTest = 200)]
    public void Bounded_activations_invert_inside_their_clamp(NormalFloat x)
    {
        double v = Math.Clamp(x.Get, -4.5, 4.5);
        foreach (Activation a in new[] { Activation.Tanh, Activation.Sigmoid, Activation.Identity })
        {
            double back = a.Inverse(a.Apply(v));
            Assert.True(Math.Abs(back - v) <= 1e-11 * (1 + Math.Abs(v)), $"{a}: a^-1(a({v})) = {back}");
        }
    }

    [Fact]
    public void Inverse_clamps_targets_on_or_outside_the_range_into_the_documented_margin()
    {
        double m = Activation.ClampMargin;
        Assert.Equal(Math.Log((1 - m) / m), Activation.Sigmoid.Inverse(1.0), 12);
        Assert.Equal(Math.Log((1 - m) / m), Activation.Sigmoid.Inverse(5.0), 12);
        Assert.Equal(-Math.Log((1 - m) / m), Activation.Sigmoid.Inverse(0.0), 12);
        Assert.Equal(Math.Atanh(1 - m), Activation.Tanh.Inverse(1.0), 12);
        Assert.Equal(-Math.Atanh(1 - m), Activation.Tanh.Inverse(-3.0), 12);
        Assert.True(float.IsFinite(Activation.Sigmoid.Inverse(1f)) && float.IsFinite(Activation.Tanh.Inverse(-1f)));
    }

    [Fact]
    public void Span_forms_match_the_scalar_forms_for_every_tail_length_and_work_in_place()
    {
        foreach (Activation a in new[] { Activation.LeakyRelu(0.3), Activation.Tanh, Activation.Sigmoid, Activation.Identity })
        {
            for (int n = 0; n <= 40; n++)
            {
                float[] x = [.. Enumerable.Range(0, n).Select(i => (float)Math.Sin(i * 1.7) * 2f)];
                float[] y = new float[n];
                a.Apply<float>(x, y);
                float[] inPlace = (float[])x.Clone();
                a.Apply<float>(inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(a.Apply(x[i]), y[i]);
                    Assert.Equal(y[i], inPlace[i]);
                }

                a.Inverse<float>(inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(a.Inverse(y[i]), inPlace[i]);
                }
            }
        }
    }

    [Fact]
    public void Names_round_trip_and_invalid_slopes_are_rejected()
    {
        foreach (Activation a in new[] { Activation.LeakyRelu(0.25), Activation.Tanh, Activation.Sigmoid, Activation.Identity })
        {
            Assert.Equal(a, Activation.FromName(a.Name, a.NegativeSlope));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.LeakyRelu(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.LeakyRelu(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.LeakyRelu(double.NaN));
        Assert.Throws<ArgumentException>(() => Activation.FromName("relu"));
        Assert.Equal(ActivationKind.Identity, default(Activation).Kind);
        Assert.Equal(0.5, Activation.LeakyRelu().NegativeSlope);
    }

    [Fact]
    public void Span_lengths_must_match()
    {
        Assert.Throws<ArgumentException>(() => Activation.Tanh.Apply<double>(new double[3], new double[2]));
    }
}
