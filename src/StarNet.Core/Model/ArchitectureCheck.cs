using System.Collections.ObjectModel;

namespace StarNet.Model;

/// <summary>
/// The outcome of checking a decoder against the paper's conditions (section 3.1). Errors make a layer's
/// linear systems underdetermined; warnings mark layers that work but carry no information.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Theorem 1 (error): every layer must be an inverse funnel, <c>d_(i-1) &lt;= d_i</c>, or its latent solve
/// <c>W_i [h; 1] = t</c> has a null space and no unique solution (Lemma 1).</item>
/// <item>Theorem 2 / Lemma 6 (error): every weight solve needs at least as many datapoints as unknowns per
/// row of <c>W_i</c>, which is the layer's inputs plus the bias, <c>N &gt;= d_(i-1) + 1</c>; below that the
/// weights are underdetermined. With a random subset per weight solve (section 6) the subset size counts.</item>
/// <item>Exactly <c>N = d_(i-1) + 1</c> (warning): the weight solve is square, fits every datapoint exactly and
/// leaves residuals of zero, so the layer learns nothing it can be tested on.</item>
/// <item>Lemma 5 (warning): <c>d_(i-1) = d_i</c> makes the layer's latent solve square: it reproduces any target
/// exactly, collapses to an affine re-parametrisation, and its residuals are zero (no Lemma 4 diagnostics).</item>
/// </list>
/// <item>Conv-unpool layers (section 3.2) are checked by <see cref="Convolution.ConvUnpoolGeometry.Check"/> instead:
/// Theorem 3 (latents: output values, borders included, at least the input map's values) and Theorem 4 (each
/// kernel's weight solve: images times convolution positions at least the taps plus the bias).</item>
/// </remarks>
public sealed class ArchitectureCheck
{
    private ArchitectureCheck(List<string> errors, List<string> warnings)
    {
        Errors = new ReadOnlyCollection<string>(errors);
        Warnings = new ReadOnlyCollection<string>(warnings);
    }

    /// <summary>Violated conditions; training cannot proceed while there are any.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Conditions that hold only degenerately.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Throws when there are errors, with every error in the message.</summary>
    /// <exception cref="ArgumentException">At least one condition is violated.</exception>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, Errors));
        }
    }

    internal static ArchitectureCheck Run(DecoderArchitecture architecture, int? datapoints, int? weightSubsetSize, int? convolutionSubsetSize = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var errors = new List<string>();
        var warnings = new List<string>();
        if (datapoints is < 1)
        {
            errors.Add($"The training set has {datapoints} datapoints; at least one is needed.");
        }

        if (weightSubsetSize is < 1)
        {
            errors.Add($"The weight-solve subset size is {weightSubsetSize}; it must be at least 1.");
        }

        int? rows = weightSubsetSize is int subset && datapoints is int n ? Math.Min(subset, n) : datapoints;
        string rowsText = weightSubsetSize is not null && datapoints is not null && weightSubsetSize < datapoints
            ? $"a random subset of {rows} of the {datapoints} datapoints per epoch"
            : $"{rows} datapoints";
        if (convolutionSubsetSize is < 1)
        {
            errors.Add($"The conv weight-solve subset size is {convolutionSubsetSize}; it must be at least 1.");
        }

        int? images = convolutionSubsetSize is int c && datapoints is int all ? Math.Min(c, all) : datapoints;
        for (int layer = 1; layer <= architecture.LayerCount; layer++)
        {
            if (architecture.Convolution(layer) is Convolution.ConvUnpoolGeometry geometry)
            {
                // Theorems 3 and 4 (section 3.2) take the place of Theorems 1 and 2 for conv-unpool layers.
                geometry.Check($"Layer {layer}", images, errors, warnings);
                continue;
            }

            int din = architecture.InputWidth(layer);
            int dout = architecture.OutputWidth(layer);
            string name = $"Layer {layer} ({din} -> {dout})";
            if (din > dout)
            {
                errors.Add(
                    $"{name} violates Theorem 1: its input width d_{layer - 1} = {din} exceeds its output width d_{layer} = {dout}, " +
                    $"so W_{layer} [h; 1] = t has a null space and the {din} latents cannot be solved uniquely; the decoder must widen towards the data (d_(i-1) <= d_i).");
            }
            else if (din == dout)
            {
                warnings.Add(
                    $"{name}: d_{layer - 1} = d_{layer} = {din} (Lemma 5): the latent solve is square, reproduces any target exactly and collapses the layer " +
                    "to an affine re-parametrisation; its residuals are zero, so it gives no Lemma 4 diagnostics.");
            }

            if (rows is int r)
            {
                if (r < din + 1)
                {
                    errors.Add(
                        $"{name} violates Theorem 2 / Lemma 6: its weight solve has {rowsText} but each row of W_{layer} has {din + 1} unknowns " +
                        $"({din} inputs plus the bias); it needs at least {din + 1} datapoints.");
                }
                else if (r == din + 1)
                {
                    warnings.Add(
                        $"{name}: the weight solve has exactly as many datapoints ({rowsText}) as unknowns per row ({din} inputs plus the bias), " +
                        "so it fits every datapoint exactly and its residuals are zero (Theorem 2 holds only with equality).");
                }
            }
        }

        return new ArchitectureCheck(errors, warnings);
    }
}
