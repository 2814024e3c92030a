using System.Globalization;
using System.Text;
using StarNet.Cli.Report;
using StarNet.Data;
using StarNet.IO;
using StarNet.LinearAlgebra;

namespace StarNet.Cli.Commands;

/// <summary>
/// <c>starnet score</c>: per image, each layer's least-squares residual norm during inference (Lemma 4) and the
/// outlier score calibrated on the training set, written as CSV.
/// </summary>
internal sealed class ScoreCommand : Command
{
    /// <summary>Images whose tail probability is below this are counted as outliers in the summary line.</summary>
    public const double OutlierTail = 0.01;

    public override string Name => "score";

    public override string Summary => "per-image, per-layer residuals and an outlier score, as CSV";

    public override string Arguments => "--model FILE --data PATH --out FILE.csv [options]";

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. InferenceInputs.Options,
        new("out", "FILE.csv", "where to write the scores (required)"),
    ];

    public override IReadOnlyList<string> Examples { get; } = ["score --model report/model.safetensors --data data/sample/mnist --out scores.csv"];

    public override string Details =>
        """
        Columns: index (in the split), label, residual_layer_1 .. residual_layer_K (the norm of each layer's
        least-squares residual ||W h + b - a^-1(target)|| while the image is encoded; layer 1 is nearest the latent
        code), reconstruction_mse, outlier_score (the largest robust z-score of a log residual against the training
        set), tail_probability (the fraction of training images scoring at least as high; small means unusual) and
        worst_layer.
        """;

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string outPath = args.Required("out", "FILE.csv");
        InferenceInputs inputs = InferenceInputs.Read(args, context);
        var model = inputs.Model;
        if (model.OutlierCalibration is null)
        {
            throw new InvalidDataException($"the model has no outlier calibration (no layer is over-determined), so it cannot score");
        }

        DatasetSplit split = inputs.Split;
        int n = split.Count, k = model.Architecture.LayerCount;
        var latents = new Matrix<float>(n, model.Architecture.LatentDimension);
        var norms = new Matrix<float>(n, k);
        model.Encoder.Encode(inputs.Matrix, latents.AsSpan(), norms.AsSpan());
        double[] errors = ReportBuilder.ImageErrors(model, split);

        var csv = new StringBuilder("index,label");
        for (int layer = 1; layer <= k; layer++)
        {
            csv.Append(CultureInfo.InvariantCulture, $",residual_layer_{layer}");
        }

        csv.Append(",reconstruction_mse,outlier_score,tail_probability,worst_layer\n");
        int outliers = 0;
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = norms.AsReadOnlySpan().Row(r);
            var score = model.OutlierCalibration.Evaluate<float>(row);
            outliers += score.TailProbability < OutlierTail ? 1 : 0;
            csv.Append(CultureInfo.InvariantCulture, $"{r},{(split.HasLabels ? split.Labels[r].ToString(CultureInfo.InvariantCulture) : string.Empty)}");
            foreach (float v in row)
            {
                csv.Append(CultureInfo.InvariantCulture, $",{v:G9}");
            }

            csv.Append(CultureInfo.InvariantCulture, $",{errors[r]:G9},{score.Score:G9},{score.TailProbability:G9},{score.WorstLayer}\n");
        }

        AtomicFile.Write(OutputPath.Prepare(outPath), stream => stream.Write(Encoding.UTF8.GetBytes(csv.ToString())));
        context.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{inputs.DatasetName} {inputs.SplitName}: {n} images scored; {outliers} with tail probability below {OutlierTail} (unusual for the training set); wrote {outPath}"));
        return ExitCodes.Success;
    }
}
