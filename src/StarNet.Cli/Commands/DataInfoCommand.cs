using System.Globalization;
using StarNet.Data;

namespace StarNet.Cli.Commands;

/// <summary><c>starnet data info PATH</c>: what the dataset loader finds at a path (format, shape, split sizes, classes).</summary>
internal sealed class DataInfoCommand : Command
{
    public override string Name => "data info";

    public override string Summary => "show what dataset is at a path: format, image shape, split sizes, classes";

    public override string Arguments => "PATH [options]";

    public override int MaxPositionals => 1;

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("samples", "N", "read at most N images of each split", "all"),
    ];

    public override IReadOnlyList<string> Examples { get; } = ["data info data/sample/mnist", "data info ../shared/data/cifar10 --samples 100"];

    public override string Details => "PATH is a folder of IDX files (MNIST, Fashion-MNIST), CIFAR-10 batches, SVHN .mat files, or a .npy file (see docs/data.md).";

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string path = args.Positionals.Count == 1 ? args.Positionals[0] : throw new UsageException("'starnet data info' needs a dataset PATH (see 'starnet data info --help')");
        Dataset data = DatasetLoader.Load(path, new DatasetLoadOptions { MaxSamples = args.Int("samples", 1) }, context.CancellationToken);
        TextWriter o = context.Out;
        o.WriteLine($"dataset:  {data.Name} ({data.Format})");
        o.WriteLine($"image:    {data.Shape} (channels x height x width), {data.Shape.Size} values");
        o.WriteLine($"train:    {Describe(data.Train)}");
        o.WriteLine($"test:     {(data.Test is null ? "none" : Describe(data.Test))}");
        if (data.ClassNames is { Count: > 0 } names)
        {
            o.WriteLine($"classes:  {string.Join(", ", names)}");
        }

        return ExitCodes.Success;
    }

    private static string Describe(DatasetSplit split)
    {
        double sum = 0;
        foreach (float p in split.Pixels)
        {
            sum += p;
        }

        double mean = split.Pixels.Length == 0 ? double.NaN : sum / split.Pixels.Length;
        string labels = split.HasLabels ? $", {split.Labels.Distinct().Count()} distinct labels" : ", no labels";
        return string.Create(CultureInfo.InvariantCulture, $"{split.Count} images, pixel mean {mean:0.0000}{labels}");
    }
}
