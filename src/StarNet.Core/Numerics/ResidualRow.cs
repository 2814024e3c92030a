using System.Numerics;
using System.Runtime.InteropServices;
using StarNet.Model;

namespace StarNet.Numerics;

/// <summary>
/// The training's per-row residual pass fused into one sweep (two for tanh and sigmoid): from a row of
/// <c>Z = H W^T</c> it forms the layer's pre-activation <c>z + b</c>, its squared distance to the target
/// pre-activation t, the output <c>a(z + b)</c> (left in the row) and the squared and absolute errors against
/// the target output y. Sums run over SIMD lanes in a fixed order from the start of the row, so results do not
/// depend on alignment or threads. The pass is memory-bound on large layers, so the output is stored back only when
/// asked (keepOutput: someone reads it later), and t and y may be the same storage.
/// </summary>
internal static class ResidualRow
{
    public static (double PreSquares, double Squares, double Magnitudes) Process<T>(Span<T> z, ReadOnlySpan<T> bias, ReadOnlySpan<T> t, ReadOnlySpan<T> y, Activation activation, bool keepOutput = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool fused = activation.Kind is ActivationKind.LeakyRelu or ActivationKind.Identity;
        T slope = T.CreateTruncating(activation.Kind == ActivationKind.LeakyRelu ? activation.NegativeSlope : 1.0);
        int n = z.Length, i = 0;
        T pre = T.Zero, sq = T.Zero, mag = T.Zero;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            Span<Vector<T>> zv = MemoryMarshal.Cast<T, Vector<T>>(z);
            ReadOnlySpan<Vector<T>> bv = MemoryMarshal.Cast<T, Vector<T>>(bias), tv = MemoryMarshal.Cast<T, Vector<T>>(t), yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            var s = new Vector<T>(slope);
            Vector<T> preAcc = Vector<T>.Zero, sqAcc = Vector<T>.Zero, magAcc = Vector<T>.Zero;
            for (int k = 0; k < zv.Length; k++)
            {
                Vector<T> v = zv[k] + bv[k];
                Vector<T> e = v - tv[k];
                preAcc += e * e;
                if (fused)
                {
                    v = Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), v * s, v);
                    Vector<T> d = v - yv[k];
                    sqAcc += d * d;
                    magAcc += Vector.Abs(d);
                    if (keepOutput)
                    {
                        zv[k] = v;
                    }
                }
                else
                {
                    zv[k] = v;
                }
            }

            pre = Vector.Sum(preAcc);
            sq = Vector.Sum(sqAcc);
            mag = Vector.Sum(magAcc);
            i = zv.Length * Vector<T>.Count;
        }

        for (; i < n; i++)
        {
            T v = z[i] + bias[i];
            T e = v - t[i];
            pre += e * e;
            if (fused)
            {
                v = v < T.Zero ? v * slope : v;
                T d = v - y[i];
                sq += d * d;
                mag += T.Abs(d);
            }

            z[i] = v;
        }

        if (!fused)
        {
            activation.Apply<T>(z, z);
            (double s2, double m2) = ErrorSums(z, y);
            return (double.CreateTruncating(pre), s2, m2);
        }

        return (double.CreateTruncating(pre), double.CreateTruncating(sq), double.CreateTruncating(mag));
    }

    /// <summary>Sum of squares and of magnitudes of <c>a - b</c> (the second sweep of tanh and sigmoid).</summary>
    private static (double Squares, double Magnitudes) ErrorSums<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sq = T.Zero, mag = T.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            T d = a[i] - b[i];
            sq += d * d;
            mag += T.Abs(d);
        }

        return (double.CreateTruncating(sq), double.CreateTruncating(mag));
    }
}
