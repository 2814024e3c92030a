using StarNet.Core.Tests.Model;
using StarNet.Core.Tests.Support;
using StarNet.IO;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Training;

/// <summary>The progress snapshots of followed rows (for pictures like the paper's Fig. 4) and caller metadata in model files.</summary>
public class SnapshotTests
{
    private static readonly int[] Widths = [3, 6, 10];
    private static readonly int[] Followed = [0, 5, 17];

    private static DecoderArchitecture Arch => new(Widths, Activation.LeakyRelu());

    private static Matrix<double> Data() =>
        Synthetic.Decode(Synthetic.RandomModel<double>(Widths, Activation.LeakyRelu(), 3), Synthetic.Gaussian<double>(60, Widths[0], 4));

    [Fact]
    public void Every_report_carries_the_followed_rows_and_each_layers_first_report_the_initial_state()
    {
        Matrix<double> x = Data();
        var reports = new List<TrainingProgress>();
        var options = new TrainingOptions { EpochsPerLayer = 2, PlateauTolerance = 0, SnapshotRows = Followed };
        StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, options, new SynchronousProgress<TrainingProgress>(reports.Add));

        Assert.All(reports, r => Assert.Equal(Followed.Length * Widths[^1], r.Snapshot!.Length));
        foreach (int layer in new[] { 2, 1 })
        {
            TrainingProgress[] ofLayer = [.. reports.Where(r => r.Metrics.Layer == layer)];
            Assert.Equal(Followed.Length * Widths[^1], ofLayer[0].InitialSnapshot!.Length);
            Assert.All(ofLayer.Skip(1), r => Assert.Null(r.InitialSnapshot));
        }

        // The top layer's last snapshot is the network output for those rows: its error matches the step's network MSE
        // in size, and the rows are the followed ones (their reconstruction is closer to them than to other rows).
        double[] last = reports.Last(r => r.Metrics.Layer == 2).Snapshot!;
        for (int i = 0; i < Followed.Length; i++)
        {
            double own = Distance(last.AsSpan(i * 10, 10), x.AsReadOnlySpan().Row(Followed[i]));
            double other = Distance(last.AsSpan(i * 10, 10), x.AsReadOnlySpan().Row(Followed[i] + 1));
            Assert.True(own < other, $"row {Followed[i]}: {own} vs {other}");
        }
    }

    [Fact]
    public void Following_rows_changes_no_result()
    {
        Matrix<double> x = Data();
        var plain = new TrainingOptions { EpochsPerLayer = 2, PlateauTolerance = 0 };
        TrainingHistory a = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, plain).History;
        TrainingHistory b = StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, plain with { SnapshotRows = Followed }, new SynchronousProgress<TrainingProgress>(_ => { })).History;
        Assert.Equal(a.Steps.Select(s => s.LayerMse), b.Steps.Select(s => s.LayerMse));
        Assert.Equal(a.Steps.Select(s => s.NetworkMse), b.Steps.Select(s => s.NetworkMse));
    }

    [Fact]
    public void Rows_outside_the_data_are_rejected_before_training()
    {
        Matrix<double> x = Data();
        var options = new TrainingOptions { SnapshotRows = [0, 60] };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StarNetTrainer.Train(x.AsReadOnlySpan(), Arch, options));
        Assert.Contains("SnapshotRows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_metadata_is_stored_beside_the_model_and_may_not_replace_its_own()
    {
        using var temp = new TempFolder();
        StarNetModel<float> model = StarNetTrainer.Train(Synthetic.Convert<double, float>(Data()).AsReadOnlySpan(), Arch, new TrainingOptions { EpochsPerLayer = 1 }).Model;
        string path = temp.File("m.safetensors");
        ModelFile.Save(model, path, new Dictionary<string, string> { ["image_shape"] = "1x2x5" });

        using (SafeTensorsReader reader = SafeTensorsReader.Open(path))
        {
            Assert.Equal("1x2x5", reader.Metadata["image_shape"]);
        }

        Assert.Equal(model.Architecture, ModelFile.Load<float>(path).Architecture);
        Assert.Throws<ArgumentException>(() => ModelFile.Save(model, temp.File("n.safetensors"), new Dictionary<string, string> { ["architecture"] = "1,2" }));
        Assert.False(File.Exists(temp.File("n.safetensors")));
    }

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return Math.Sqrt(s);
    }
}
