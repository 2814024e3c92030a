using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Cli.Report;

/// <summary>Gathers what the training report shows from a trained model and its dataset.</summary>
internal static class ReportBuilder
{
    /// <summary>Training (and test) images shown in the reconstruction grids.</summary>
    public const int GridImages = 10;

    /// <summary>Images drawn from the latent Gaussian.</summary>
    public const int Samples = 30;

    /// <summary>Builds the report's content.</summary>
    /// <param name="data">The dataset trained on.</param>
    /// <param name="architecture">The decoder.</param>
    /// <param name="options">The training options.</param>
    /// <param name="result">The training result.</param>
    /// <param name="progress">Figure 4's rows (targets, Init, SL1, SW1, ...), or empty.</param>
    /// <returns>The content, without the links to other files.</returns>
    public static TrainingReportContent Build(Dataset data, DecoderArchitecture architecture, TrainingOptions options, TrainingResult<float> result, IReadOnlyList<ImageRow> progress)
    {
        StarNetModel<float> model = result.Model;
        DatasetSplit train = data.Train;
        DatasetSplit? test = data.Test is { Count: > 0 } t ? t : null;
        return new TrainingReportContent
        {
            Dataset = data.Name,
            Shape = data.Shape,
            TrainCount = train.Count,
            TestCount = test?.Count,
            Architecture = architecture,
            Options = options,
            History = result.History,
            TrainReconstructions = LayerRows(model, train),
            TestReconstructions = test is null ? null : LayerRows(model, test),
            Progress = progress,
            Samples = model.LatentPrior is null ? [] : Rows(model.Generate(Samples, options.Seed + 1)),
            TrainErrors = ImageErrors(model, train),
            TestErrors = test is null ? null : ImageErrors(model, test),
        };
    }

    /// <summary>The first images of a split as a matrix view.</summary>
    public static ReadOnlyMatrixSpan<float> Matrix(DatasetSplit split, int count) =>
        new(split.Pixels.AsSpan(0, count * split.Dimension), count, split.Dimension);

    /// <summary>Every row of a matrix as its own array.</summary>
    public static float[][] Rows(Matrix<float> m) => [.. Enumerable.Range(0, m.Rows).Select(r => m.AsReadOnlySpan().Row(r).ToArray())];

    /// <summary>Per image, the mean squared error of <paramref name="reconstructions"/> against the split's first rows.</summary>
    public static double[] RowErrors(DatasetSplit split, Matrix<float> reconstructions)
    {
        var errors = new double[reconstructions.Rows];
        ReadOnlyMatrixSpan<float> x = Matrix(split, reconstructions.Rows);
        for (int r = 0; r < errors.Length; r++)
        {
            errors[r] = RowError(x.Row(r), reconstructions.AsReadOnlySpan().Row(r));
        }

        return errors;
    }

    private static double RowError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double e = (double)a[j] - b[j];
            sum += e * e;
        }

        return sum / a.Length;
    }

    private static IReadOnlyList<ImageRow> LayerRows(StarNetModel<float> model, DatasetSplit split)
    {
        int count = Math.Min(GridImages, split.Count);
        ReadOnlyMatrixSpan<float> targets = Matrix(split, count);
        var rows = new List<ImageRow> { new("target", [.. Enumerable.Range(0, count).Select(i => split.GetImage(i).ToArray())]) };
        for (int layer = model.Architecture.LayerCount; layer >= 1; layer--)
        {
            var reconstruction = new Matrix<float>(count, split.Dimension);
            model.Reconstruct(targets, reconstruction.AsSpan(), throughLayer: layer);
            rows.Add(new ImageRow($"layer {layer}", Rows(reconstruction)));
        }

        return rows;
    }

    /// <summary>
    /// Per image of <paramref name="split"/>, the mean squared error of its reconstruction through the whole decoder
    /// (encoded by inference, then decoded), computed in blocks so that no N x D copy is held.
    /// </summary>
    public static double[] ImageErrors(StarNetModel<float> model, DatasetSplit split)
    {
        const int block = 4096;
        var errors = new double[split.Count];
        var reconstruction = new Matrix<float>(Math.Min(block, split.Count), split.Dimension);
        for (int start = 0; start < split.Count; start += block)
        {
            int rows = Math.Min(block, split.Count - start);
            ReadOnlyMatrixSpan<float> x = new(split.Pixels.AsSpan(start * split.Dimension, rows * split.Dimension), rows, split.Dimension);
            MatrixSpan<float> y = reconstruction.Slice(0, 0, rows, split.Dimension);
            model.Reconstruct(x, y);
            for (int r = 0; r < rows; r++)
            {
                errors[start + r] = RowError(x.Row(r), y.Row(r));
            }
        }

        return errors;
    }
}
