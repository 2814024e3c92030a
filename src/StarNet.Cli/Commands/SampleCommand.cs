using System.Globalization;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;

namespace StarNet.Cli.Commands;

/// <summary><c>starnet sample</c>: new images from latent codes drawn from the Gaussian fitted to the training latents.</summary>
internal sealed class SampleCommand : Command
{
    public override string Name => "sample";

    public override string Summary => "generate new images: latent codes drawn from the latent Gaussian, decoded";

    public override string Arguments => "--model FILE [--out FILE.npy] [--grid FILE.png] [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "FILE", "the model file written by 'starnet train --out' (required)"),
        new("count", "N", "how many images", "100"),
        new("seed", "N", "seed of the draws; the same seed gives the same images", "0"),
        new("out", "FILE.npy", "write the images as float32 [N, C, H, W]"),
        new("grid", "FILE.png", "write them as a picture, 10 per row"),
    ];

    public override IReadOnlyList<string> Examples { get; } = ["sample --model report/model.safetensors --count 40 --grid samples.png --out samples.npy"];

    public override string Details => "At least one of --out and --grid is needed.";

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string modelPath = args.Required("model", "FILE");
        int count = args.Int("count", 1, 1_000_000) ?? 100;
        ulong seed = args.UInt64("seed") ?? 0;
        string? outPath = args.String("out");
        string? gridPath = args.String("grid");
        if (outPath is null && gridPath is null)
        {
            throw new UsageException("'starnet sample' needs --out FILE.npy or --grid FILE.png (or both)");
        }

        (StarNetModel<float> model, ModelInfo? info) = ModelStore.Load(modelPath);
        if (model.LatentPrior is null)
        {
            throw new InvalidDataException($"{modelPath}: the model has no latent Gaussian to sample from");
        }

        ImageShape shape = info?.Shape ?? ModelInfo.GuessShape(model.Architecture.OutputDimension);
        Matrix<float> images = model.Generate(count, seed);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} images of {shape} sampled (seed {seed})"));
        if (outPath is not null)
        {
            NpyFile.Write<float>(OutputPath.Prepare(outPath), images.ToArray(), [count, shape.Channels, shape.Height, shape.Width], context.CancellationToken);
            context.Out.WriteLine($"wrote images: {outPath}");
        }

        if (gridPath is not null)
        {
            ImageGrid grid = TrainingReport.NewGrid(shape);
            foreach (float[][] row in ReportBuilder.Rows(images).Chunk(TrainingReport.SamplesPerRow))
            {
                grid.AddRow(row);
            }

            grid.Save(OutputPath.Prepare(gridPath));
            context.Out.WriteLine($"wrote picture: {gridPath}");
        }

        return ExitCodes.Success;
    }
}
