namespace StarNet.Model;

/// <summary>The invertible element-wise activations a StarNet layer can use.</summary>
public enum ActivationKind
{
    /// <summary>The identity: a purely affine (linear) decoder. Also what <c>default(Activation)</c> is.</summary>
    Identity = 0,

    /// <summary>Leaky ReLU, <c>a(x) = x</c> for x &gt;= 0 and <c>slope * x</c> below; the paper's choice (slope 0.5 worked best).</summary>
    LeakyRelu = 1,

    /// <summary>Hyperbolic tangent, range (-1, 1).</summary>
    Tanh = 2,

    /// <summary>The logistic sigmoid <c>1 / (1 + e^-x)</c>, range (0, 1).</summary>
    Sigmoid = 3,
}
