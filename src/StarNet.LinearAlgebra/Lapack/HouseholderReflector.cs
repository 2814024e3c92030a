using System.Numerics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Elementary reflectors H = I - tau v v^T with v(0) = 1, the building block of Householder QR
/// (LAPACK dlarfg, with the scaled norm of dnrm2). This is the careful path: it handles columns whose squares
/// would underflow or overflow, and exactly-zero columns (tau = 0, H = I). The fused panel kernel
/// (<see cref="QrPanelFactorization"/>) uses a one-pass version and falls back here whenever the sum of squares
/// leaves the range where it is accurate.
/// </summary>
internal static unsafe class HouseholderReflector
{
    /// <summary>
    /// Generates H with H^T [alpha; x] = [beta; 0]. On return <paramref name="alpha"/> holds beta, x holds v(1:),
    /// and the result is tau (0 when x is zero, in which case x is left unchanged).
    /// </summary>
    /// <param name="alpha">The leading entry, overwritten with beta.</param>
    /// <param name="x">The rest of the column: element i at <c>x[i * incx]</c>.</param>
    /// <param name="incx">Stride of x in elements.</param>
    /// <param name="n">Length of x.</param>
    public static T Generate<T>(ref T alpha, T* x, nint incx, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T xnorm = Norm2(x, incx, n);
        if (xnorm == T.Zero)
        {
            return T.Zero;
        }

        T beta = -T.CopySign(T.Hypot(alpha, xnorm), alpha);
        T safmin = Precision.MinNormal<T>() / Precision.UnitRoundoff<T>();
        int knt = 0;
        if (T.Abs(beta) < safmin)
        {
            // beta would lose accuracy: scale x, alpha and beta up until it is representable (at most 20 times).
            T rsafmn = T.One / safmin;
            do
            {
                knt++;
                Scale(rsafmn, x, incx, n);
                beta *= rsafmn;
                alpha *= rsafmn;
            }
            while (T.Abs(beta) < safmin && knt < 20);

            xnorm = Norm2(x, incx, n);
            beta = -T.CopySign(T.Hypot(alpha, xnorm), alpha);
        }

        T tau = (beta - alpha) / beta;
        Scale(T.One / (alpha - beta), x, incx, n);
        for (int j = 0; j < knt; j++)
        {
            beta *= safmin;
        }

        alpha = beta;
        return tau;
    }

    /// <summary>
    /// The one-pass reflector of the fused kernels from alpha and the sum of squares sigma2 of x: when sigma2 is in
    /// the range where it is accurate, sets alpha to beta = -sign(alpha) ||[alpha; x]||, tau = (beta - alpha) / beta
    /// and the scale 1 / (alpha - beta) that turns x into v, and returns true; otherwise (zero, tiny or huge x)
    /// returns false and changes nothing, and the caller takes <see cref="Generate{T}"/>.
    /// </summary>
    public static bool TryGenerateFromSquares<T>(ref T alpha, T sigma2, out T tau, out T scale)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TryGenerateFromNorm(ref alpha, sigma2, (alpha * alpha) + sigma2, out tau, out scale);

    /// <summary>
    /// <see cref="TryGenerateFromSquares{T}"/> with the squared norm ss of the whole column [alpha; x] given too (the
    /// paired leaf has it from a Gram row, where alpha^2 + sigma2 would round differently).
    /// </summary>
    public static bool TryGenerateFromNorm<T>(ref T alpha, T sigma2, T ss, out T tau, out T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lo = Precision.MinNormal<T>() / Precision.UnitRoundoff<T>();
        T hi = T.CreateTruncating(typeof(T) == typeof(float) ? 1e36 : 1e306);
        if (!(sigma2 >= lo && ss <= hi))
        {
            tau = scale = T.Zero;
            return false;
        }

        T beta = -T.CopySign(T.Sqrt(ss), alpha);
        tau = (beta - alpha) / beta;
        scale = T.One / (alpha - beta);
        alpha = beta;
        return true;
    }

    /// <summary>The Euclidean norm of a strided vector, scaled by its largest magnitude so that no square overflows or underflows.</summary>
    public static T Norm2<T>(T* x, nint incx, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.Zero;
        for (int i = 0; i < n; i++)
        {
            T ax = T.Abs(x[i * incx]);
            if (ax > scale || T.IsNaN(ax))
            {
                scale = ax;
            }
        }

        if (scale == T.Zero || !T.IsFinite(scale))
        {
            return scale;
        }

        T sum = T.Zero;
        T inv = T.One / scale;
        for (int i = 0; i < n; i++)
        {
            T y = x[i * incx] * inv;
            sum += y * y;
        }

        return scale * T.Sqrt(sum);
    }

    private static void Scale<T>(T s, T* x, nint incx, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            x[i * incx] *= s;
        }
    }
}

/// <summary>
/// Precision constants the generic numeric interfaces do not expose directly (note that .NET's
/// <c>T.Epsilon</c> is the smallest subnormal, not the machine precision).
/// </summary>
internal static class Precision
{
    /// <summary>The smallest positive normal number of T (LAPACK's safe minimum, dlamch('S')).</summary>
    public static T MinNormal<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435E-38f) : T.CreateTruncating(2.2250738585072014E-308);

    /// <summary>The unit roundoff of T (LAPACK's dlamch('E'), half the machine epsilon: 2^-24 or 2^-53).</summary>
    public static T UnitRoundoff<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(5.9604644775390625E-08) : T.CreateTruncating(1.1102230246251565E-16);
}
