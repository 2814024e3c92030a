using FsCheck;
using FsCheck.Xunit;
using StarNet.Core.Tests.Support;
using StarNet.Inference;
using StarNet.IO;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Core.Tests.Model;

[Properties(Arbitrary = [typeof(DecoderArbitraries)], MaxTest = 15)]
public class ModelFileTests
{
    [Property]
    public void A_saved_and_reloaded_model_gives_bit_identical_outputs_in_float(DecoderCase c) => RoundTrip<float>(c);

    [Property]
    public void A_saved_and_reloaded_model_gives_bit_identical_outputs_in_double(DecoderCase c) => RoundTrip<double>(c);

    private static void RoundTrip<T>(DecoderCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // Leaky ReLU and a tiny ridge keep every layer's solves well posed on exactly generated data.
        Activation activation = Synthetic.Activations[c.ActivationIndex % 3];
        StarNetModel<T> truth = Synthetic.RandomModel<T>(c.Widths, activation, c.Seed);
        Matrix<T> x = Synthetic.Decode(truth, Synthetic.Gaussian<T>(c.Datapoints, c.Widths[0], c.Seed + 1));
        StarNetModel<T> model = StarNetTrainer.Train(x.AsReadOnlySpan(), truth.Architecture, new TrainingOptions { EpochsPerLayer = 2, Ridge = 1e-6, Seed = 3 }).Model;
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        ModelFile.Save(model, path);
        StarNetModel<T> loaded = ModelFile.Load<T>(path);

        Assert.Equal(model.Architecture, loaded.Architecture);
        Assert.Equal(model.TrainingOptions, loaded.TrainingOptions);
        Assert.Equal(model.History!.Steps, loaded.History!.Steps);
        int n = c.Datapoints, d0 = c.Widths[0], k = c.Widths.Length - 1;
        (Matrix<T> z1, Matrix<T> r1) = (new Matrix<T>(n, d0), new Matrix<T>(n, k));
        (Matrix<T> z2, Matrix<T> r2) = (new Matrix<T>(n, d0), new Matrix<T>(n, k));
        model.Encoder.Encode(x.AsReadOnlySpan(), z1.AsSpan(), r1.AsSpan());
        loaded.Encoder.Encode(x.AsReadOnlySpan(), z2.AsSpan(), r2.AsSpan());
        Assert.True(Synthetic.BitIdentical(z1.AsReadOnlySpan(), z2.AsReadOnlySpan()), "latents differ");
        Assert.True(Synthetic.BitIdentical(r1.AsReadOnlySpan(), r2.AsReadOnlySpan()), "residual norms differ");
        Assert.True(Synthetic.BitIdentical(Synthetic.Decode(model, z1).AsReadOnlySpan(), Synthetic.Decode(loaded, z1).AsReadOnlySpan()), "decodes differ");
        Assert.True(Synthetic.BitIdentical(model.Generate(7, 5).AsReadOnlySpan(), loaded.Generate(7, 5).AsReadOnlySpan()), "samples differ");
        if (model.OutlierCalibration is not null)
        {
            OutlierScore a = model.Encoder.OutlierScore(x.AsReadOnlySpan().Row(0));
            OutlierScore b = loaded.Encoder.OutlierScore(x.AsReadOnlySpan().Row(0));
            Assert.Equal(a, b);
        }
    }

    private static StarNetModel<float> SmallModel()
    {
        StarNetModel<float> truth = Synthetic.RandomModel<float>([3, 5, 9], Activation.LeakyRelu(), 1);
        Matrix<float> x = Synthetic.Decode(truth, Synthetic.Gaussian<float>(40, 3, 2));
        return StarNetTrainer.Train(x.AsReadOnlySpan(), truth.Architecture, new TrainingOptions { EpochsPerLayer = 1, Ridge = 1e-6 }).Model;
    }

    [Fact]
    public void The_file_holds_plain_tensors_and_string_metadata_that_numpy_can_read()
    {
        StarNetModel<float> model = SmallModel();
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        ModelFile.Save(model, path);
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal(["latent.cholesky", "latent.mean", "layers.1.bias", "layers.1.weight", "layers.2.bias", "layers.2.weight", "outlier.log_median", "outlier.log_scale", "outlier.score_quantiles"],
            reader.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal([5L, 3L], reader.GetInfo("layers.1.weight").Shape);
        Assert.Equal([9L], reader.GetInfo("layers.2.bias").Shape);
        Assert.Equal(SafeTensorDType.F32, reader.GetInfo("layers.2.weight").DType);
        Assert.Equal(SafeTensorDType.F64, reader.GetInfo("outlier.log_scale").DType);
        Assert.Equal(model.Layers[1].Weight.ToArray(), reader.GetTensor<float>("layers.2.weight"));
        Assert.Equal("starnet-feedforward", reader.Metadata["format"]);
        Assert.Equal("3,5,9", reader.Metadata["architecture"]);
        Assert.Equal("leaky_relu", reader.Metadata["activation"]);
        Assert.Equal("0.5", reader.Metadata["negative_slope"]);
        Assert.Contains("\"epochs_per_layer\":1", reader.Metadata["training_options"], StringComparison.Ordinal);
        Assert.Contains("\"steps\":[", reader.Metadata["training_history"], StringComparison.Ordinal);
        Assert.Equal(["m.safetensors"], folder.FileNames());
    }

    [Fact]
    public void A_float_file_widens_exactly_to_double_but_a_double_file_never_narrows()
    {
        StarNetModel<float> model = SmallModel();
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        ModelFile.Save(model, path);
        StarNetModel<double> wide = ModelFile.Load<double>(path);
        Assert.Equal(model.Layers[0].Weight.ToArray().Select(v => (double)v), wide.Layers[0].Weight.ToArray());

        string pathD = folder.File("d.safetensors");
        ModelFile.Save(wide, pathD);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(pathD));
        Assert.Contains("double precision", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_model_files_are_rejected_with_the_problem_named()
    {
        using var folder = new TempFolder();

        string Write(string name, Action<SafeTensorsWriter> build, Action<IDictionary<string, string>>? meta = null)
        {
            var w = new SafeTensorsWriter();
            w.Metadata["format"] = ModelFile.FormatName;
            w.Metadata["format_version"] = ModelFile.FormatVersion;
            w.Metadata["architecture"] = "2,3";
            w.Metadata["activation"] = "leaky_relu";
            w.Metadata["dtype"] = "F32";
            meta?.Invoke(w.Metadata);
            build(w);
            string p = folder.File(name);
            w.Save(p);
            return p;
        }

        void Good(SafeTensorsWriter w) => w.Add("layers.1.weight", new float[6], 3, 2).Add("layers.1.bias", new float[3], 3);

        Assert.Equal(3, ModelFile.Load<float>(Write("ok", Good)).Architecture.OutputDimension);
        Expect("tensor 'layers.1.weight' is F32[2, 3]", Write("shape", w => w.Add("layers.1.weight", new float[6], 2, 3).Add("layers.1.bias", new float[3], 3)));
        Expect("tensor 'layers.1.bias' is missing", Write("missing", w => w.Add("layers.1.weight", new float[6], 3, 2)));
        Expect("is F64[3, 2]", Write("dtype", w => w.Add("layers.1.weight", new double[6], 3, 2).Add("layers.1.bias", new float[3], 3)));
        Expect("metadata format is 'other'", Write("format", Good, m => m["format"] = "other"));
        Expect("format_version is '9'", Write("version", Good, m => m["format_version"] = "9"));
        Expect("metadata key 'architecture' is missing", Write("noarch", Good, m => m.Remove("architecture")));
        Expect("architecture '2,x'", Write("badarch", Good, m => m["architecture"] = "2,x"));
        Expect("activation 'relu'", Write("badact", Good, m => m["activation"] = "relu"));

        // A header that claims an enormous model over a tiny file fails on the shapes, before anything is allocated.
        Expect("the architecture needs F32[16000000, 16000000]", Write("huge", Good, m => m["architecture"] = "16000000,16000000"));

        // Non-finite weights are refused too.
        Expect("NaN or infinity", Write("nan", w => w.Add("layers.1.weight", new[] { 1f, float.NaN, 0, 0, 0, 0 }, 3, 2).Add("layers.1.bias", new float[3], 3)));

        // A broken safetensors container is reported by the reader.
        string truncated = folder.File("truncated");
        byte[] bytes = File.ReadAllBytes(Write("full", Good));
        File.WriteAllBytes(truncated, bytes[..^4]);
        Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(truncated));
    }

    private static void Expect(string fragment, string path)
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load<float>(path));
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
