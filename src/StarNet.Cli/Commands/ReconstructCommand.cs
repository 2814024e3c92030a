using System.Globalization;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;

namespace StarNet.Cli.Commands;

/// <summary>
/// <c>starnet reconstruct</c>: encodes images by inference alone (latents solved layer by layer, weights fixed) and
/// decodes them again; reports the reconstruction error and writes the reconstructions (.npy) and a picture.
/// </summary>
internal sealed class ReconstructCommand : Command
{
    /// <summary>Images per row of the <c>--grid</c> picture.</summary>
    public const int GridColumns = 10;

    public override string Name => "reconstruct";

    public override string Summary => "reconstruct images through a trained model (inference only) and report the error";

    public override string Arguments => "--model FILE --data PATH [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. InferenceInputs.Options,
        new("layer", "I", "reconstruct from the inputs of layer I (1 = the latent code; K = one layer only)", "1"),
        new("out", "FILE.npy", "write the reconstructions as float32 [N, C, H, W]"),
        new("grid", "FILE.png", "write a picture: pairs of rows, targets above their reconstructions (first 50 images)"),
    ];

    public override IReadOnlyList<string> Examples { get; } =
    [
        "reconstruct --model report/model.safetensors --data data/sample/mnist --grid recon.png",
        "reconstruct --model model.safetensors --data ../shared/data/fashion-mnist --split test --out recon.npy",
    ];

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        _ = args.Int("layer", 1);
        string? outPath = args.String("out");
        string? gridPath = args.String("grid");
        InferenceInputs inputs = InferenceInputs.Read(args, context);
        int layer = inputs.Layer(args);

        DatasetSplit split = inputs.Split;
        var reconstructions = new Matrix<float>(split.Count, split.Dimension);
        inputs.Model.Reconstruct(inputs.Matrix, reconstructions.AsSpan(), throughLayer: layer);
        double[] errors = ReportBuilder.RowErrors(split, reconstructions);
        context.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{inputs.DatasetName} {inputs.SplitName}: {split.Count} images reconstructed from layer {layer}'s inputs; MSE {errors.Average():G6}, worst image {Array.IndexOf(errors, errors.Max())} (MSE {errors.Max():G6})"));

        if (outPath is not null)
        {
            float[] values = reconstructions.ToArray();
            NpyFile.Write<float>(OutputPath.Prepare(outPath), values, [split.Count, split.Shape.Channels, split.Shape.Height, split.Shape.Width], context.CancellationToken);
            context.Out.WriteLine($"wrote reconstructions: {outPath}");
        }

        if (gridPath is not null)
        {
            int shown = Math.Min(split.Count, 5 * GridColumns);
            float[][] recon = ReportBuilder.Rows(reconstructions);
            ImageGrid grid = TrainingReport.NewGrid(split.Shape);
            for (int start = 0; start < shown; start += GridColumns)
            {
                int count = Math.Min(GridColumns, shown - start);
                grid.AddRow("target", Enumerable.Range(start, count).Select(i => split.GetImage(i).ToArray()));
                grid.AddRow($"layer {layer}", recon.Skip(start).Take(count));
            }

            grid.Save(OutputPath.Prepare(gridPath));
            context.Out.WriteLine($"wrote picture: {gridPath}");
        }

        return ExitCodes.Success;
    }
}
