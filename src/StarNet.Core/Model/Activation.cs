using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace StarNet.Model;

/// <summary>
/// An invertible element-wise activation <c>a</c> with its inverse <c>a^-1</c>, as StarNet needs both: the decoder
/// applies <c>a</c>, training and inference apply <c>a^-1</c> to turn a layer's output (post-activation) into the
/// right-hand side of its linear system (pre-activation, the paper's Eq. 2).
/// </summary>
/// <remarks>
/// <para>
/// Leaky ReLU and identity are bijections of the real line, so their inverses are exact for every input.
/// Tanh and sigmoid map onto an open interval, (-1, 1) and (0, 1); a target on or outside its bounds (a pixel
/// of exactly 0 or 1 under a sigmoid, or a solved latent that landed outside the range) has no pre-image.
/// Their inverses therefore first clamp the value into the closed interval shrunk by <see cref="ClampMargin"/>
/// at each end, [-1 + m, 1 - m] for tanh and [m, 1 - m] for sigmoid, and then invert. With m = 1e-4 the
/// largest pre-activation the inverse returns is atanh(1 - m) = 4.95 for tanh and logit(1 - m) = 9.21 for
/// sigmoid, and in float the distance 1 - y is still held to about 6e-4 relative precision.
/// </para>
/// <para>Both directions accept the same span for input and output (in place).</para>
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly record struct Activation
{
    /// <summary>The paper's best negative slope for leaky ReLU (section 5, footnote 2).</summary>
    public const double DefaultNegativeSlope = 0.5;

    /// <summary>How far inside the open range of tanh and sigmoid their inverses clamp a target (see the remarks).</summary>
    public const double ClampMargin = 1e-4;

    private Activation(ActivationKind kind, double negativeSlope)
    {
        Kind = kind;
        NegativeSlope = negativeSlope;
    }

    /// <summary>Which function this is.</summary>
    public ActivationKind Kind { get; }

    /// <summary>The leaky ReLU slope for negative inputs; 1 for the other kinds (unused by them).</summary>
    public double NegativeSlope { get; }

    /// <summary>The short name used in model files and reports: <c>leaky_relu</c>, <c>identity</c>, <c>tanh</c> or <c>sigmoid</c>.</summary>
    public string Name => Kind switch
    {
        ActivationKind.LeakyRelu => "leaky_relu",
        ActivationKind.Identity => "identity",
        ActivationKind.Tanh => "tanh",
        _ => "sigmoid",
    };

    /// <summary>Leaky ReLU with the given negative slope.</summary>
    /// <param name="negativeSlope">Slope for negative inputs: finite and greater than zero (zero would make it the non-invertible ReLU).</param>
    /// <exception cref="ArgumentOutOfRangeException">The slope is not a finite positive number.</exception>
    public static Activation LeakyRelu(double negativeSlope = DefaultNegativeSlope)
    {
        if (!(negativeSlope > 0) || !double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope,
                "The leaky ReLU negative slope must be finite and greater than zero; at zero it is the ReLU, which has no inverse on the negative half-line.");
        }

        return new Activation(ActivationKind.LeakyRelu, negativeSlope);
    }

    /// <summary>The identity (a linear decoder).</summary>
    public static Activation Identity => new(ActivationKind.Identity, 1.0);

    /// <summary>Hyperbolic tangent; its inverse clamps targets into [-1 + <see cref="ClampMargin"/>, 1 - <see cref="ClampMargin"/>].</summary>
    public static Activation Tanh => new(ActivationKind.Tanh, 1.0);

    /// <summary>Logistic sigmoid; its inverse clamps targets into [<see cref="ClampMargin"/>, 1 - <see cref="ClampMargin"/>].</summary>
    public static Activation Sigmoid => new(ActivationKind.Sigmoid, 1.0);

    /// <summary>The activation named <paramref name="name"/> (as in <see cref="Name"/>).</summary>
    /// <param name="name">One of <c>leaky_relu</c>, <c>identity</c>, <c>tanh</c>, <c>sigmoid</c>.</param>
    /// <param name="negativeSlope">The leaky ReLU slope; ignored by the other kinds.</param>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static Activation FromName(string name, double negativeSlope = DefaultNegativeSlope) => name switch
    {
        "leaky_relu" => LeakyRelu(negativeSlope),
        "identity" => Identity,
        "tanh" => Tanh,
        "sigmoid" => Sigmoid,
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected leaky_relu, identity, tanh or sigmoid.", nameof(name)),
    };

    /// <summary>Applies the activation element-wise: <c>destination[i] = a(source[i])</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="source">Pre-activations.</param>
    /// <param name="destination">Receives the post-activations; same length; may be the same span as <paramref name="source"/>.</param>
    public void Apply<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(source.Length, destination.Length);
        switch (Kind)
        {
            case ActivationKind.LeakyRelu:
                ScaleNegatives(source, destination, T.CreateTruncating(NegativeSlope));
                break;
            case ActivationKind.Identity:
                source.CopyTo(destination);
                break;
            case ActivationKind.Tanh:
                for (int i = 0; i < source.Length; i++)
                {
                    destination[i] = T.Tanh(source[i]);
                }

                break;
            default:
                // Element by element (not TensorPrimitives, whose vector lanes and scalar tail can differ in the
                // last bit), so that a value maps the same wherever it sits in a row.
                for (int i = 0; i < source.Length; i++)
                {
                    destination[i] = T.One / (T.One + T.Exp(-source[i]));
                }

                break;
        }
    }

    /// <summary>
    /// Applies the inverse element-wise: <c>destination[i] = a^-1(source[i])</c>, clamping into the open range
    /// first for tanh and sigmoid (see the type's remarks).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="source">Post-activations (targets).</param>
    /// <param name="destination">Receives the pre-activations; same length; may be the same span as <paramref name="source"/>.</param>
    public void Inverse<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(source.Length, destination.Length);
        T margin = T.CreateTruncating(ClampMargin);
        switch (Kind)
        {
            case ActivationKind.LeakyRelu:
                ScaleNegatives(source, destination, T.One / T.CreateTruncating(NegativeSlope));
                break;
            case ActivationKind.Identity:
                source.CopyTo(destination);
                break;
            case ActivationKind.Tanh:
                for (int i = 0; i < source.Length; i++)
                {
                    destination[i] = T.Atanh(T.Clamp(source[i], margin - T.One, T.One - margin));
                }

                break;
            default:
                for (int i = 0; i < source.Length; i++)
                {
                    T y = T.Clamp(source[i], margin, T.One - margin);
                    destination[i] = T.Log(y / (T.One - y));
                }

                break;
        }
    }

    /// <summary>The activation of one value.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="x">A pre-activation.</param>
    public T Apply<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> one = [x];
        Apply<T>(one, one);
        return one[0];
    }

    /// <summary>The inverse of one value (with the clamp of tanh and sigmoid).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="y">A post-activation.</param>
    public T Inverse<T>(T y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> one = [y];
        Inverse<T>(one, one);
        return one[0];
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Kind == ActivationKind.LeakyRelu ? string.Create(CultureInfo.InvariantCulture, $"leaky_relu({NegativeSlope:R})") : Name;

    /// <summary>destination = x for x &gt;= 0, scale * x below (leaky ReLU and its inverse).</summary>
    private static void ScaleNegatives<T>(ReadOnlySpan<T> source, Span<T> destination, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<T>.Count)
        {
            var s = new Vector<T>(scale);
            ReadOnlySpan<Vector<T>> sv = MemoryMarshal.Cast<T, Vector<T>>(source);
            Span<Vector<T>> dv = MemoryMarshal.Cast<T, Vector<T>>(destination);
            for (int k = 0; k < sv.Length; k++)
            {
                Vector<T> v = sv[k];
                dv[k] = Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), v * s, v);
            }

            i = sv.Length * Vector<T>.Count;
        }

        for (; i < source.Length; i++)
        {
            T v = source[i];
            destination[i] = v < T.Zero ? v * scale : v;
        }
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"The activation maps element-wise: the source has {source} values but the destination has {destination}.", "destination");
        }
    }
}
