using System.Numerics;

namespace StarNet.Numerics;

/// <summary>
/// A seeded pseudo-random generator whose stream is fixed by this code alone (xoshiro256** seeded through
/// SplitMix64, Gaussians by the Box-Muller transform), so that training and sampling give the same numbers on
/// every runtime version and machine. <see cref="System.Random"/> makes no such promise across versions.
/// Not thread-safe: one instance per sequential stream.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value, including zero.</param>
    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Derives an independent generator for a named sub-stream (a layer, a purpose), so that adding draws in one place does not shift the numbers drawn in another.</summary>
    /// <param name="seed">The user's seed.</param>
    /// <param name="stream">The sub-stream number.</param>
    public static DeterministicRandom ForStream(ulong seed, ulong stream)
    {
        ulong x = seed ^ (0xD1B54A32D192ED03UL * (stream + 1));
        return new DeterministicRandom(SplitMix(ref x));
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    /// <param name="bound">Exclusive upper bound, at least 1.</param>
    public int NextInt(int bound)
    {
        ulong b = (ulong)bound;
        UInt128 m = (UInt128)NextUInt64() * b;
        ulong low = (ulong)m;
        if (low < b)
        {
            ulong threshold = (0UL - b) % b;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * b;
                low = (ulong)m;
            }
        }

        return (int)(m >> 64);
    }

    /// <summary>A standard normal draw.</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        // Box-Muller on (0, 1] x [0, 1): u1 is never 0, so the logarithm is finite.
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareGaussian = r * sin;
        _hasSpare = true;
        return r * cos;
    }

    /// <summary>Fills <paramref name="destination"/> with independent standard normal draws times <paramref name="scale"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="destination">The values to overwrite.</param>
    /// <param name="scale">Standard deviation.</param>
    public void FillGaussian<T>(Span<T> destination, double scale = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = T.CreateTruncating(NextGaussian() * scale);
        }
    }

    /// <summary>
    /// Picks <paramref name="count"/> distinct indices of [0, permutation.Length) by a partial Fisher-Yates shuffle
    /// of <paramref name="permutation"/> (which must hold a permutation and is left holding one), and writes them,
    /// sorted ascending for memory locality, to <paramref name="destination"/>.
    /// </summary>
    /// <param name="permutation">A permutation of 0..n-1, reshuffled in place.</param>
    /// <param name="count">How many indices to pick.</param>
    /// <param name="destination">Receives the <paramref name="count"/> picked indices.</param>
    public void SampleWithoutReplacement(Span<int> permutation, int count, Span<int> destination)
    {
        for (int i = 0; i < count; i++)
        {
            int j = i + NextInt(permutation.Length - i);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        permutation[..count].CopyTo(destination);
        destination[..count].Sort();
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
