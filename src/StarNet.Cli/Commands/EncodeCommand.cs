using System.Globalization;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Cli.Commands;

/// <summary><c>starnet encode</c>: infers the latent codes of images (Lemma 3: layer-by-layer least squares) and writes them as .npy.</summary>
internal sealed class EncodeCommand : Command
{
    public override string Name => "encode";

    public override string Summary => "infer the latent codes of images and write them as a float32 .npy array";

    public override string Arguments => "--model FILE --data PATH --out FILE.npy [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. InferenceInputs.Options,
        new("layer", "I", "write the inputs of layer I (1 = the latent code h_0; I = K gives h_(K-1))", "1"),
        new("out", "FILE.npy", "where to write the codes, float32 [N, width] (required)"),
    ];

    public override IReadOnlyList<string> Examples { get; } =
    [
        "encode --model report/model.safetensors --data data/sample/mnist --out latents.npy",
        "encode --model model.safetensors --data ../shared/data/mnist --split train --layer 2 --out h1.npy",
    ];

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string outPath = args.Required("out", "FILE.npy");
        _ = args.Int("layer", 1);
        InferenceInputs inputs = InferenceInputs.Read(args, context);
        int layer = inputs.Layer(args);
        int width = inputs.Model.Architecture.InputWidth(layer);

        DatasetSplit split = inputs.Split;
        var codes = new Matrix<float>(split.Count, width);
        inputs.Model.Encoder.EncodeToLayer(layer, inputs.Matrix, codes.AsSpan());

        // Under mpirun every rank encodes its shard (the latent solves are independent, Lemma 2) and rank 0 gathers
        // the codes in rank order and writes the one file; the ranks agree on whether that worked.
        ICommunicator job = context.Communicator;
        float[] all = job.Size == 1 ? codes.ToArray() : GatherRows(job, codes.ToArray(), split.Count, width);
        int count = all.Length / width;
        void Write()
        {
            if (job.Rank == 0)
            {
                NpyFile.Write<float>(OutputPath.Prepare(outPath), all, [count, width], context.CancellationToken);
                context.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{inputs.DatasetName} {inputs.SplitName}: {count} codes of width {width} (inputs of layer {layer}) written to {outPath}"));
            }
        }

        if (job.Size == 1)
        {
            Write();
        }
        else
        {
            RankFailures.Run(job, Write);
        }

        return ExitCodes.Success;
    }

    /// <summary>Every rank's rows, in rank order, on rank 0 (blocks padded to the largest shard); elsewhere empty.</summary>
    private static float[] GatherRows(ICommunicator job, float[] mine, int rows, int width)
    {
        var counts = new long[job.Size];
        job.AllGather<long>([rows], counts);
        int block = (int)counts.Max() * width;
        var padded = new float[block];
        mine.CopyTo(padded, 0);
        float[] gathered = job.Rank == 0 ? new float[block * job.Size] : [];
        job.Gather<float>(padded, gathered, 0);
        if (job.Rank != 0)
        {
            return [];
        }

        return [.. Enumerable.Range(0, job.Size).SelectMany(r => gathered.AsSpan(r * block, (int)counts[r] * width).ToArray())];
    }
}
