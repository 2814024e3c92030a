using System.Globalization;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Commands;

/// <summary><c>starnet info MODEL</c>: a model file's architecture, layers, what was fitted besides, training options and results.</summary>
internal sealed class InfoCommand : Command
{
    public override string Name => "info";

    public override string Summary => "show a model file's architecture, training options, results and metadata";

    public override string Arguments => "MODEL";

    public override int MaxPositionals => 1;

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("metadata", null, "also print every metadata entry of the file verbatim"),
    ];

    public override IReadOnlyList<string> Examples { get; } = ["info report/model.safetensors"];

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string path = args.Positionals.Count == 1 ? args.Positionals[0] : throw new UsageException("'starnet info' needs a MODEL file (see 'starnet info --help')");
        (StarNetModel<float> model, ModelInfo? info) = ModelStore.Load(path);
        TextWriter o = context.Out;
        DecoderArchitecture a = model.Architecture;
        o.WriteLine(Inv($"file:        {path} ({new FileInfo(path).Length:N0} bytes)"));
        o.WriteLine(info is null ? "data:        unknown (not written by starnet train)" : $"data:        {info.Dataset}, images {info.Shape}");
        o.WriteLine(Inv($"decoder:     {string.Join(" -> ", a.Widths)} (latent first), {a.LayerCount} layers, activation {a.Activation}"));
        if (a.HasConvolutions)
        {
            o.WriteLine(Inv($"conv layers: {a.ConvolutionText} (layer:C/kK/uU/padding@output map; kernels [c_out*u*u, c_in, k, k])"));
        }
        for (int layer = 1; layer <= a.LayerCount; layer++)
        {
            o.WriteLine(a.Convolution(layer) is { } g
                ? Inv($"  layer {layer}:   conv-unpool kernel [{string.Join(", ", g.KernelShape)}], bias {g.ConvChannels} ({g}; dense operator {a.OutputWidth(layer)}x{a.InputWidth(layer)})")
                : Inv($"  layer {layer}:   weight {a.OutputWidth(layer)}x{a.InputWidth(layer)}, bias {a.OutputWidth(layer)}"));
        }

        o.WriteLine(model.LatentPrior is null ? "sampling:    no latent Gaussian" : Inv($"sampling:    latent Gaussian of dimension {model.LatentPrior.Dimension}"));
        o.WriteLine(model.OutlierCalibration is null ? "scoring:     no outlier calibration" : Inv($"scoring:     outlier score calibrated on {model.OutlierCalibration.LayerCount} layers"));
        if (model.TrainingOptions is { } t)
        {
            o.WriteLine(Inv($"training:    at most {t.EpochsPerLayer} epochs per layer, plateau {t.PlateauTolerance:G6}, solver {TrainingChoices.Name(t.Solver)}, first step {TrainingChoices.Name(t.FirstStep)}, weight subset {(t.WeightSubsetSize?.ToString(CultureInfo.InvariantCulture) ?? "all")}{(a.HasConvolutions ? Inv($", conv weight subset {(t.ConvolutionWeightSubsetSize?.ToString(CultureInfo.InvariantCulture) ?? "all")} x {t.WeightSubsetCount}") : string.Empty)}, ridge {t.Ridge:G6}, seed {t.Seed}"));
            o.WriteLine(Inv($"procedure:   {t.ProcedureName} (gauge {TrainingChoices.Name(t.Gauge)}, at most {t.RefinementSweeps} refinement sweep(s), tolerance {t.RefinementTolerance:G6})"));
        }

        if (model.History is { } h)
        {
            foreach (LayerTrainingSummary layer in h.Layers)
            {
                o.WriteLine(Inv($"  layer {layer.Layer}:   {layer.Epochs} epoch(s){(layer.PlateauReached ? " (plateau)" : string.Empty)}, layer MSE {layer.LayerMse:G6}, {layer.Seconds:0.00} s"));
            }

            if (h.Steps.Count > 0)
            {
                o.WriteLine(Inv($"result:      training reconstruction MSE {h.FinalNetworkMse:G6}{(h.TestReconstructionMse is double m ? Inv($", test reconstruction MSE {m:G6}") : string.Empty)}, {h.TotalSeconds:0.00} s"));
            }
        }

        if (args.Flag("metadata"))
        {
            o.WriteLine("metadata:");
            foreach ((string key, string value) in ModelStore.Metadata(path).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                o.WriteLine($"  {key} = {value}");
            }
        }

        return ExitCodes.Success;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
