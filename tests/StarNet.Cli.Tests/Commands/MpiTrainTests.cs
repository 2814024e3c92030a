using StarNet.Core.Tests.Data.Support;
using StarNet.LinearAlgebra;
using StarNet.Model;
using Xunit.Abstractions;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Cli.Tests.Commands;

/// <summary>
/// <c>mpirun -np 2 starnet train</c> for real (Open MPI): the model rank 0 writes equals the single-process model
/// to rounding for both weight-solve paths, and a failure on one rank is reported by every rank. Skipped, with
/// the reason, where Open MPI is not installed.
/// </summary>
public sealed class MpiTrainTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string Starnet = Path.Combine(AppContext.BaseDirectory, "starnet.dll");
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [OpenMpiFact]
    public void Two_ranks_train_the_single_process_model_with_tsqr_and_with_normal_equations()
    {
        foreach (string solver in new[] { "qr", "normal" })
        {
            // The paper's procedure: with the default principal-axes gauge the layer below is fitted in the eigenvector
            // coordinates of the latents' covariance, which float rounding (one process against TSQR) can rotate within
            // clusters of nearly equal variances: the same network to about 1e-4, but not the same parameters.
            string[] train = ["train", "--data", SharedData.Sample, "--arch", "ff:16,32", "--samples", "600", "--epochs", "2", "--plateau", "0", "--solver", solver, "--paper"];
            string single = folder.File($"single-{solver}.safetensors");
            string distributed = folder.File($"mpi-{solver}.safetensors");
            CliRunner.Run([.. train, "--out", single]).AssertSuccess();
            (int code, string text) = MpiJob.Run(MpiJob.OpenMpiLauncher!, 2, Starnet, [.. train, "--out", distributed, "--metrics", folder.File($"mpi-{solver}.json")]);
            output.WriteLine(text);
            Assert.Equal(0, code);
            Assert.Contains(solver == "qr" ? "weight solve by TSQR" : "weight solve by distributed normal equations", text, StringComparison.Ordinal);
            Assert.Single(text.Split('\n'), line => line.StartsWith("wrote model:", StringComparison.Ordinal));

            StarNetModel<float> a = ModelFile.Load<float>(single), b = ModelFile.Load<float>(distributed);
            for (int i = 0; i < a.Layers.Count; i++)
            {
                AssertClose(a.Layers[i].Weight, b.Layers[i].Weight, $"{solver}: W_{i + 1}");
                AssertClose(new ReadOnlyMatrixSpan<float>(a.Layers[i].Bias, 1, a.Layers[i].Bias.Length), new ReadOnlyMatrixSpan<float>(b.Layers[i].Bias, 1, b.Layers[i].Bias.Length), $"{solver}: b_{i + 1}");
            }

            Assert.NotNull(b.OutlierCalibration);
        }
    }

    [OpenMpiFact]
    public void Two_ranks_encode_the_rows_of_one_process_and_other_commands_refuse_mpirun()
    {
        string model = folder.File("model.safetensors");
        CliRunner.Run("train", "--data", SharedData.Sample, "--arch", "ff:8,16", "--samples", "300", "--epochs", "1", "--out", model).AssertSuccess();
        string single = folder.File("single.npy"), distributed = folder.File("mpi.npy");
        CliRunner.Run("encode", "--model", model, "--data", SharedData.Sample, "--samples", "201", "--out", single).AssertSuccess();
        (int code, string text) = MpiJob.Run(MpiJob.OpenMpiLauncher!, 2, Starnet, "encode", "--model", model, "--data", SharedData.Sample, "--samples", "201", "--out", distributed);
        output.WriteLine(text);
        Assert.Equal(0, code);
        Assert.Contains("201 codes of width 8", text, StringComparison.Ordinal);

        // Each latent solve is the same per-row computation wherever it runs: the files are equal bit for bit.
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(distributed));

        (code, text) = MpiJob.Run(MpiJob.OpenMpiLauncher!, 2, Starnet, "sample", "--model", model, "--count", "4", "--out", folder.File("s.npy"));
        Assert.Equal(2, code);
        Assert.Contains("'starnet sample' runs on one process", text, StringComparison.Ordinal);
    }

    [OpenMpiFact]
    public void A_shard_that_fails_on_one_rank_is_reported_by_every_rank()
    {
        // A gzip images file cut short: rank 0's first half reads, rank 1 meets the end of the data.
        var random = new Random(3);
        byte[] gz = Gzip(Idx(RandomBytes(random, 200 * 16), 200, 4, 4));
        string data = Path.Combine(folder.Path, "cut");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte.gz"), gz[..(gz.Length * 3 / 4)]);
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), Idx(new byte[200], 200));

        (int code, string text) = MpiJob.Run(MpiJob.OpenMpiLauncher!, 2, Starnet, "train", "--data", data, "--arch", "ff:4,8");
        output.WriteLine(text);
        Assert.Equal(1, code);
        Assert.Contains("starnet: error (rank 0 of 2): rank 1 failed:", text, StringComparison.Ordinal);
        Assert.Contains("starnet: error (rank 1 of 2): rank 1 failed:", text, StringComparison.Ordinal);
    }

    private static void AssertClose(ReadOnlyMatrixSpan<float> expected, ReadOnlyMatrixSpan<float> actual, string what)
    {
        double worst = 0, scale = 1;
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
            {
                worst = Math.Max(worst, Math.Abs(expected[i, j] - actual[i, j]));
                scale = Math.Max(scale, Math.Abs(expected[i, j]));
            }
        }

        Assert.True(worst <= 1e-3 * scale, $"{what}: max |single - mpirun| = {worst:E2} (scale {scale:G3})");
    }
}
