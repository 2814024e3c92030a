namespace StarNet.Training;

/// <summary>
/// How the latents a layer hands down are re-coordinatised before they become the target of the layer below (issue #8).
/// A layer's solved latents are determined only up to an invertible affine map <c>h -> M h + c</c>: the layer absorbs
/// the inverse (<c>W' = W M^-1</c>, <c>b' = b - W M^-1 c</c>), so its output is unchanged, but the layer below must fit
/// <c>a^-1</c> of exactly these coordinates. See docs/model.md, "Gauge fixing between layers".
/// </summary>
public enum GaugeFixing
{
    /// <summary>No change: the latents are handed down as the latent solve left them (the paper's procedure).</summary>
    None = 0,

    /// <summary>Centre the latents and make their covariance the identity (<c>h' = L^-1 (h - mean)</c>, <c>L L^T</c> the covariance).</summary>
    Whiten = 1,

    /// <summary>
    /// Rotate and scale so that the layer's weight has orthonormal columns, centre, and rotate to the principal axes of
    /// the latents (<c>h' = U^T R (h - mean)</c> with <c>W = Q R</c>): an error of the layer below then costs the same at
    /// this layer's output as in latent space.
    /// </summary>
    PrincipalAxes = 2,

    /// <summary>
    /// Shift (and for tanh and sigmoid scale) each latent coordinate into the activation's linear range: for leaky ReLU
    /// every latent becomes non-negative, where <c>a^-1</c> is the identity.
    /// </summary>
    ActivationRange = 3,

    /// <summary><see cref="PrincipalAxes"/>, then <see cref="ActivationRange"/>.</summary>
    PrincipalAxesInRange = 4,
}
