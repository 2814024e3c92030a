using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;

namespace StarNet.Cli.Commands;

/// <summary>The model file and dataset split that the inference commands (reconstruct, encode, score) read, and their shared options.</summary>
internal sealed class InferenceInputs
{
    /// <summary>Split names for <c>--split</c>.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Splits = new Dictionary<string, bool>(StringComparer.Ordinal) { ["train"] = false, ["test"] = true };

    private InferenceInputs(StarNetModel<float> model, ModelInfo? info, DatasetSplit split, string splitName, string datasetName)
    {
        Model = model;
        Info = info;
        Split = split;
        SplitName = splitName;
        DatasetName = datasetName;
    }

    /// <summary>The options every inference command takes: the model, the data and which part of it.</summary>
    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "FILE", "the model file written by 'starnet train --out' (required)"),
        new("data", "PATH", "dataset folder or file, as for train (required)"),
        new("split", "NAME", "train or test", "test when the dataset has one, else train"),
        new("samples", "N", "use only the first N images of the split", "all"),
    ];

    /// <summary>The trained model.</summary>
    public StarNetModel<float> Model { get; }

    /// <summary>What the model file says about the data it was trained on, if anything.</summary>
    public ModelInfo? Info { get; }

    /// <summary>The images to work on.</summary>
    public DatasetSplit Split { get; }

    /// <summary>"train" or "test".</summary>
    public string SplitName { get; }

    /// <summary>The dataset's name.</summary>
    public string DatasetName { get; }

    /// <summary>The images as an N x D matrix.</summary>
    public ReadOnlyMatrixSpan<float> Matrix => new(Split.Pixels, Split.Count, Split.Dimension);

    /// <summary>The <c>--layer</c> option checked against the model: 1 (the latent code) when absent.</summary>
    /// <param name="args">The parsed arguments.</param>
    /// <returns>A layer number from 1 to K.</returns>
    /// <exception cref="UsageException">The value is not a layer of the model.</exception>
    public int Layer(ParsedArguments args)
    {
        int layers = Model.Architecture.LayerCount;
        int layer = args.Int("layer", 1) ?? 1;
        return layer <= layers ? layer : throw new UsageException($"option --layer: {layer} is out of range (the model has {layers} layers)");
    }

    /// <summary>Checks the options, then reads the model and the data and checks that they fit each other.</summary>
    /// <param name="args">The parsed arguments.</param>
    /// <param name="context">For cancellation.</param>
    /// <returns>The inputs.</returns>
    /// <exception cref="UsageException">A missing or malformed option.</exception>
    /// <exception cref="InvalidDataException">The model file or the dataset is malformed, or they do not fit.</exception>
    public static InferenceInputs Read(ParsedArguments args, CliContext context)
    {
        string modelPath = args.Required("model", "FILE");
        string dataPath = args.Required("data", "PATH");
        bool? wantTest = args.Choice("split", Splits);
        int? samples = args.Int("samples", 1);

        // Under mpirun each rank reads the model and only its shard of the images; the ranks agree on failures.
        ICommunicator job = context.Communicator;
        if (job.Size > 1)
        {
            InferenceInputs? inputs = null;
            RankFailures.Run(job, () => inputs = Load(modelPath, dataPath, wantTest, new DatasetLoadOptions { MaxSamples = samples, Shard = new DatasetShard(job.Rank, job.Size) }, context));
            return inputs!;
        }

        return Load(modelPath, dataPath, wantTest, new DatasetLoadOptions { MaxSamples = samples }, context);
    }

    private static InferenceInputs Load(string modelPath, string dataPath, bool? wantTest, DatasetLoadOptions options, CliContext context)
    {
        (StarNetModel<float> model, ModelInfo? info) = ModelStore.Load(modelPath);
        Dataset data = DatasetLoader.Load(dataPath, options, context.CancellationToken);
        bool useTest = wantTest ?? data.Test is { Count: > 0 };
        DatasetSplit split = useTest
            ? data.Test ?? throw new InvalidDataException($"{dataPath}: the dataset has no test split (use --split train)")
            : data.Train;
        if (split.Dimension != model.Architecture.OutputDimension)
        {
            throw new InvalidDataException(
                $"{dataPath}: images are {split.Shape} ({split.Dimension} values) but the model {modelPath} decodes {model.Architecture.OutputDimension} values{(info is null ? string.Empty : $" ({info.Shape} images)")}");
        }

        if (split.Count == 0 && options.Shard is null)
        {
            throw new InvalidDataException($"{dataPath}: the {(useTest ? "test" : "train")} split has no images");
        }

        return new InferenceInputs(model, info, split, useTest ? "test" : "train", data.Name);
    }
}
