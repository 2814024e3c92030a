using System.Globalization;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Commands;

/// <summary>The names the command line uses for architectures, activations, solvers and steps, and their parsing.</summary>
internal static class TrainingChoices
{
    /// <summary>Solver names for <c>--solver</c>.</summary>
    public static readonly IReadOnlyDictionary<string, SolverMethod> Solvers = new Dictionary<string, SolverMethod>(StringComparer.Ordinal)
    {
        ["qr"] = SolverMethod.Qr,
        ["normal"] = SolverMethod.NormalEquations,
        ["semi-normal"] = SolverMethod.SemiNormal,
        ["rcqr"] = SolverMethod.RandomizedCholeskyQr,
    };

    /// <summary>Step names for <c>--first-step</c>.</summary>
    public static readonly IReadOnlyDictionary<string, TrainingStep> Steps = new Dictionary<string, TrainingStep>(StringComparer.Ordinal)
    {
        ["latents"] = TrainingStep.Latents,
        ["weights"] = TrainingStep.Weights,
    };

    /// <summary>Gauge names for <c>--gauge</c>.</summary>
    public static readonly IReadOnlyDictionary<string, GaugeFixing> Gauges = new Dictionary<string, GaugeFixing>(StringComparer.Ordinal)
    {
        ["none"] = GaugeFixing.None,
        ["whiten"] = GaugeFixing.Whiten,
        ["principal"] = GaugeFixing.PrincipalAxes,
        ["range"] = GaugeFixing.ActivationRange,
        ["principal-range"] = GaugeFixing.PrincipalAxesInRange,
    };

    /// <summary>The name of a gauge as <c>--gauge</c> takes it.</summary>
    public static string Name(GaugeFixing gauge) => Gauges.First(g => g.Value == gauge).Key;

    /// <summary>The name of a solver as <c>--solver</c> takes it.</summary>
    public static string Name(SolverMethod solver) => Solvers.First(s => s.Value == solver).Key;

    /// <summary>The name of a step: <c>latents</c> or <c>weights</c>.</summary>
    public static string Name(TrainingStep step) => Steps.First(s => s.Value == step).Key;

    /// <summary>
    /// Parses <c>--arch</c> (see <see cref="ArchitectureSpec"/>): <c>ff:W1,W2,...</c> (dense widths from the latent code
    /// up; the data width comes from the dataset, so <c>ff:128,256</c> on MNIST is 128 -> 256 -> 784), <c>conv:PRESET</c>
    /// (mnist, fashion-mnist, cifar10, svhn, mnist-single, cifar10-single), explicit conv-unpool layers
    /// <c>conv:C/kK/uU/full|same,...</c>, or dense then conv layers joined by <c>+</c>. Only the syntax is checked here;
    /// the map sizes are worked out once the data shape is known.
    /// </summary>
    /// <param name="text">The option's value.</param>
    /// <returns>The parsed layers.</returns>
    /// <exception cref="UsageException">The text is malformed.</exception>
    public static ArchitectureSpec ParseArchitecture(string text)
    {
        try
        {
            ArchitectureSpec spec = ArchitectureSpec.Parse(text);
            if (spec.DenseWidths.FirstOrDefault(w => w > DecoderArchitecture.MaxWidth) is int wide and > 0)
            {
                throw new FormatException($"width '{wide}' in '{text}' is not a whole number from 1 to {DecoderArchitecture.MaxWidth}");
            }

            return spec;
        }
        catch (FormatException e)
        {
            throw new UsageException($"option --arch: {e.Message} (forms: ff:W1,W2,...  conv:PRESET  conv:C/kK/uU/full|same,...  ff:W+conv:...)");
        }
    }

    /// <summary>Parses <c>leaky-relu[:SLOPE]</c>, <c>tanh</c>, <c>sigmoid</c> or <c>identity</c> (underscores work as dashes).</summary>
    /// <param name="text">The option's value.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="UsageException">Unknown name or a bad slope.</exception>
    public static Activation ParseActivation(string text)
    {
        string[] parts = text.Replace('_', '-').ToLowerInvariant().Split(':', 2);
        string name = parts[0];
        if (parts.Length == 2 && name != "leaky-relu")
        {
            throw new UsageException($"option --activation: only leaky-relu takes a slope ('{text}')");
        }

        return name switch
        {
            "leaky-relu" => Activation.LeakyRelu(parts.Length == 2 ? ParseSlope(parts[1], text) : Activation.DefaultNegativeSlope),
            "tanh" => Activation.Tanh,
            "sigmoid" => Activation.Sigmoid,
            "identity" or "linear" => Activation.Identity,
            _ => throw new UsageException($"option --activation: '{text}' is not one of leaky-relu[:SLOPE], tanh, sigmoid, identity"),
        };
    }

    private static double ParseSlope(string slope, string text) =>
        double.TryParse(slope, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"option --activation: the slope in '{text}' must be a number greater than 0");
}
