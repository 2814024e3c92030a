using System.Globalization;
using System.Numerics;
using StarNet.Inference;
using StarNet.IO;
using StarNet.LinearAlgebra;
using StarNet.Training;

namespace StarNet.Model;

/// <summary>
/// Saves and loads <see cref="StarNetModel{T}"/> as safetensors files (see docs/model.md, "Model files"): every
/// weight a plain F32 or F64 tensor that Python's safetensors or a few lines of numpy read, and the architecture,
/// activation, training options and measurements as strings in <c>__metadata__</c>.
/// </summary>
/// <remarks>
/// Tensors (layer i = 1 nearest the latent code; <c>h_i = a(h_(i-1) @ W_i.T + b_i)</c>):
/// <c>layers.{i}.weight</c> [d_i, d_(i-1)] and <c>layers.{i}.bias</c> [d_i] in the model's precision;
/// <c>latent.mean</c> [d_0] and <c>latent.cholesky</c> [d_0, d_0] (lower) when a latent Gaussian is fitted; and
/// <c>outlier.log_median</c> [K], <c>outlier.log_scale</c> [K], <c>outlier.score_quantiles</c> [Q] (always F64)
/// when the outlier score is calibrated. Writes are atomic (temporary file, flush, rename).
/// </remarks>
public static class ModelFile
{
    /// <summary>The <c>format</c> metadata value of a StarNet feedforward model.</summary>
    public const string FormatName = "starnet-feedforward";

    /// <summary>The <c>format_version</c> this code writes and reads.</summary>
    public const string FormatVersion = "1";

    /// <summary>The <c>format</c> metadata of a model with at least one conv-unpool layer (same version numbering).</summary>
    public const string ConvolutionalFormatName = "starnet-convolutional";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, replacing any file there atomically.</summary>
    /// <typeparam name="T">float (F32 tensors) or double (F64 tensors).</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="path">The target file.</param>
    /// <exception cref="IOException">The file cannot be written (an existing file is then left untouched).</exception>
    public static void Save<T>(StarNetModel<T> model, string path) where T : unmanaged, IFloatingPointIeee754<T> => Save(model, path, null);

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> with more <c>__metadata__</c> entries of the caller's
    /// (for example the command-line tool's dataset name and image shape); <see cref="Load"/> ignores them and any
    /// reader of safetensors metadata sees them. Their keys may not be ones the model file itself uses.
    /// </summary>
    /// <typeparam name="T">float (F32 tensors) or double (F64 tensors).</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="path">The target file.</param>
    /// <param name="extraMetadata">The entries to add, or null.</param>
    /// <exception cref="ArgumentException">An extra key is one the model file uses.</exception>
    /// <exception cref="IOException">The file cannot be written (an existing file is then left untouched).</exception>
    public static void Save<T>(StarNetModel<T> model, string path, IReadOnlyDictionary<string, string>? extraMetadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var writer = new SafeTensorsWriter();
        DecoderArchitecture arch = model.Architecture;
        writer.Metadata["format"] = arch.HasConvolutions ? ConvolutionalFormatName : FormatName;
        writer.Metadata["format_version"] = FormatVersion;
        writer.Metadata["architecture"] = arch.WidthsText;
        writer.Metadata["activation"] = arch.Activation.Name;
        writer.Metadata["negative_slope"] = arch.Activation.NegativeSlope.ToString("R", CultureInfo.InvariantCulture);
        writer.Metadata["dtype"] = DTypeOf<T>().ToString();
        writer.Metadata["layout"] = "layers.{i}: i = 1 nearest the latent code; h_i = a(h_(i-1) @ weight.T + bias); x = h_K";
        if (arch.HasConvolutions)
        {
            writer.Metadata["convolutions"] = arch.ConvolutionText;
            writer.Metadata["conv_layout"] =
                "layers.{i}.kernel [c_out*u*u, c_in, k, k], layers.{i}.bias [c_out*u*u]: h_i = a(pixel_shuffle(conv2d(h_(i-1) as c_in x h x w, kernel, bias, padding), u)) " +
                "with padding k-1 (full) or (k-1)/2 before and k-1-(k-1)/2 after (same); maps flattened CHW";
        }

        // F64 tensors first so that every tensor stays aligned to its element size.
        if (model.OutlierCalibration is OutlierCalibration calibration)
        {
            writer.Add("outlier.log_median", [.. calibration.LogMedians], calibration.LayerCount);
            writer.Add("outlier.log_scale", [.. calibration.LogScales], calibration.LayerCount);
            writer.Add("outlier.score_quantiles", [.. calibration.TrainingScoreQuantiles], calibration.TrainingScoreQuantiles.Count);
        }

        for (int i = 1; i <= arch.LayerCount; i++)
        {
            if (model.ConvolutionLayers[i - 1] is Convolution.ConvUnpoolLayer<T> conv)
            {
                AddTensor(writer, $"layers.{i}.kernel", conv.Kernels.ToArray(), conv.Geometry.KernelShape);
                AddTensor(writer, $"layers.{i}.bias", conv.Bias.ToArray(), conv.Geometry.ConvChannels);
                continue;
            }

            DenseLayer<T> layer = model.Layers[i - 1];
            AddTensor(writer, $"layers.{i}.weight", layer.Weight.ToArray(), layer.OutputWidth, layer.InputWidth);
            AddTensor(writer, $"layers.{i}.bias", layer.BiasArray, layer.OutputWidth);
        }

        if (model.LatentPrior is LatentGaussian<T> prior)
        {
            writer.Metadata["latent_jitter"] = prior.Jitter.ToString("R", CultureInfo.InvariantCulture);
            AddTensor(writer, "latent.mean", prior.Mean.ToArray(), prior.Dimension);
            AddTensor(writer, "latent.cholesky", prior.CholeskyFactor.ToArray(), prior.Dimension, prior.Dimension);
        }

        if (model.TrainingOptions is TrainingOptions options)
        {
            writer.Metadata["training_options"] = TrainingJson.Write(options);
        }

        if (model.History is TrainingHistory history)
        {
            writer.Metadata["training_history"] = history.ToJson();
        }

        foreach ((string key, string value) in extraMetadata ?? new Dictionary<string, string>())
        {
            if (!writer.Metadata.TryAdd(key, value))
            {
                throw new ArgumentException($"Metadata key '{key}' is one the model file itself uses.", nameof(extraMetadata));
            }
        }

        writer.Save(path);
    }

    /// <summary>
    /// Reads a model. The whole header, the metadata and every tensor's dtype and shape are checked against the
    /// architecture before any tensor is read, so a malformed file is rejected before anything large is allocated.
    /// </summary>
    /// <typeparam name="T">float (needs an F32 file) or double (reads F64, or widens F32 exactly).</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file or not a valid StarNet model; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StarNetModel<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        IReadOnlyDictionary<string, string> meta = reader.Metadata;
        string format = Meta(meta, path, "format");
        if (format is not (FormatName or ConvolutionalFormatName))
        {
            throw Invalid(path, $"metadata format is '{format}', not '{FormatName}' or '{ConvolutionalFormatName}'");
        }

        string version = Meta(meta, path, "format_version");
        if (version != FormatVersion)
        {
            throw Invalid(path, $"format_version is '{version}'; this library reads version {FormatVersion}");
        }

        DecoderArchitecture arch = ParseArchitecture(meta, path);
        if (!Enum.TryParse(Meta(meta, path, "dtype"), out SafeTensorDType dtype) || dtype is not (SafeTensorDType.F32 or SafeTensorDType.F64))
        {
            throw Invalid(path, $"metadata dtype '{meta["dtype"]}' is not F32 or F64");
        }

        if (dtype == SafeTensorDType.F64 && typeof(T) == typeof(float))
        {
            throw Invalid(path, "the model is stored in double precision (F64); load it as double, narrowing is never silent");
        }

        // Every tensor is checked (presence, dtype, shape) before any is read.
        int k = arch.LayerCount, d0 = arch.LatentDimension;
        for (int i = 1; i <= k; i++)
        {
            if (arch.Convolution(i) is Convolution.ConvUnpoolGeometry g)
            {
                Expect(reader, $"layers.{i}.kernel", dtype, g.ConvChannels, g.InputChannels, g.KernelSize, g.KernelSize);
                Expect(reader, $"layers.{i}.bias", dtype, g.ConvChannels);
                continue;
            }

            Expect(reader, $"layers.{i}.weight", dtype, arch.OutputWidth(i), arch.InputWidth(i));
            Expect(reader, $"layers.{i}.bias", dtype, arch.OutputWidth(i));
        }

        bool hasPrior = reader.Contains("latent.mean") || reader.Contains("latent.cholesky");
        if (hasPrior)
        {
            Expect(reader, "latent.mean", dtype, d0);
            Expect(reader, "latent.cholesky", dtype, d0, d0);
        }

        bool hasCalibration = reader.Contains("outlier.log_median") || reader.Contains("outlier.log_scale") || reader.Contains("outlier.score_quantiles");
        if (hasCalibration)
        {
            Expect(reader, "outlier.log_median", SafeTensorDType.F64, k);
            Expect(reader, "outlier.log_scale", SafeTensorDType.F64, k);
            SafeTensorInfo q = reader.GetInfo("outlier.score_quantiles");
            if (q.DType != SafeTensorDType.F64 || q.Shape.Count != 1 || q.Shape[0] < 2 || q.Shape[0] > 1_000_000)
            {
                throw Invalid(path, $"tensor 'outlier.score_quantiles' is {q.DType}[{string.Join(", ", q.Shape)}]; expected F64 with 2 to 1000000 values");
            }
        }

        TrainingOptions? options = meta.TryGetValue("training_options", out string? optionsJson) ? Parse(path, "training_options", () => TrainingJson.ReadOptions(optionsJson)) : null;
        TrainingHistory? history = meta.TryGetValue("training_history", out string? historyJson) ? Parse(path, "training_history", () => TrainingHistory.FromJson(historyJson)) : null;

        try
        {
            var layers = new DenseLayer<T>[k];
            var convolutions = new Convolution.ConvUnpoolLayer<T>?[k];
            for (int i = 1; i <= k; i++)
            {
                if (arch.Convolution(i) is Convolution.ConvUnpoolGeometry g)
                {
                    T[] kernel = Read<T>(reader, $"layers.{i}.kernel", dtype);
                    convolutions[i - 1] = new Convolution.ConvUnpoolLayer<T>(g, new ReadOnlyMatrixSpan<T>(kernel, g.ConvChannels, g.KernelTaps), Read<T>(reader, $"layers.{i}.bias", dtype));
                    layers[i - 1] = convolutions[i - 1]!.ToDenseLayer();
                    continue;
                }

                T[] w = Read<T>(reader, $"layers.{i}.weight", dtype);
                T[] b = Read<T>(reader, $"layers.{i}.bias", dtype);
                layers[i - 1] = new DenseLayer<T>(new ReadOnlyMatrixSpan<T>(w, arch.OutputWidth(i), arch.InputWidth(i)), b);
            }

            LatentGaussian<T>? prior = null;
            if (hasPrior)
            {
                double jitter = meta.TryGetValue("latent_jitter", out string? j) && double.TryParse(j, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0;
                prior = new LatentGaussian<T>(Read<T>(reader, "latent.mean", dtype), new ReadOnlyMatrixSpan<T>(Read<T>(reader, "latent.cholesky", dtype), d0, d0), jitter);
            }

            OutlierCalibration? calibration = hasCalibration
                ? new OutlierCalibration(reader.GetTensor<double>("outlier.log_median"), reader.GetTensor<double>("outlier.log_scale"), reader.GetTensor<double>("outlier.score_quantiles"))
                : null;
            return new StarNetModel<T>(arch, layers, prior, calibration, options, history, convolutions);
        }
        catch (ArgumentException e)
        {
            throw Invalid(path, e.Message, e);
        }
    }

    private static DecoderArchitecture ParseArchitecture(IReadOnlyDictionary<string, string> meta, string path)
    {
        string widths = Meta(meta, path, "architecture");
        string activation = Meta(meta, path, "activation");
        double slope = Activation.DefaultNegativeSlope;
        if (meta.TryGetValue("negative_slope", out string? slopeText) && !double.TryParse(slopeText, NumberStyles.Float, CultureInfo.InvariantCulture, out slope))
        {
            throw Invalid(path, $"metadata negative_slope '{slopeText}' is not a number");
        }

        try
        {
            return DecoderArchitecture.Parse(widths, meta.TryGetValue("convolutions", out string? convolutions) ? convolutions : string.Empty, Activation.FromName(activation, slope));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw Invalid(path, $"architecture '{widths}' with activation '{activation}' is not valid: {e.Message}", e);
        }
    }

    private static void Expect(SafeTensorsReader reader, string name, SafeTensorDType dtype, params int[] shape)
    {
        if (!reader.TryGetInfo(name, out SafeTensorInfo? info))
        {
            throw Invalid(reader.Path, $"tensor '{name}' is missing");
        }

        if (info.DType != dtype || info.Shape.Count != shape.Length || !info.Shape.Select(s => (int)Math.Min(s, int.MaxValue)).SequenceEqual(shape))
        {
            throw Invalid(reader.Path, $"tensor '{name}' is {info.DType}[{string.Join(", ", info.Shape)}]; the architecture needs {dtype}[{string.Join(", ", shape)}]");
        }
    }

    private static T[] Read<T>(SafeTensorsReader reader, string name, SafeTensorDType dtype)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && dtype == SafeTensorDType.F32)
        {
            return (T[])(object)reader.GetTensorAsDouble(name);
        }

        return reader.GetTensor<T>(name);
    }

    private static void AddTensor<T>(SafeTensorsWriter writer, string name, T[] data, params long[] shape)
        where T : unmanaged
    {
        if (data is float[] f)
        {
            writer.Add(name, f, shape);
        }
        else
        {
            writer.Add(name, (double[])(object)data, shape);
        }
    }

    private static SafeTensorDType DTypeOf<T>() => typeof(T) == typeof(float) ? SafeTensorDType.F32 : SafeTensorDType.F64;

    private static TValue Parse<TValue>(string path, string key, Func<TValue> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw Invalid(path, $"metadata {key}: {e.Message}", e);
        }
    }

    private static string Meta(IReadOnlyDictionary<string, string> meta, string path, string key) =>
        meta.TryGetValue(key, out string? value) ? value : throw Invalid(path, $"metadata key '{key}' is missing");

    private static InvalidDataException Invalid(string path, string problem, Exception? inner = null) =>
        new($"Invalid StarNet model file '{path}': {problem}.", inner);
}
