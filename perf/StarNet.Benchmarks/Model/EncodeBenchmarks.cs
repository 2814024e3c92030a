using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.Inference;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Training;

namespace StarNet.Benchmarks.Model;

/// <summary>A 128 -> 256 -> 784 leaky-ReLU model trained (two epochs per layer) on the first 4,000 MNIST training images, and the 10,000 test images.</summary>
internal sealed class EncodeFixture<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public EncodeFixture()
    {
        (Matrix<T> train, Matrix<T> test) = BenchmarkData.Mnist<T>();
        var subset = Matrix<T>.CopyOf(train.AsReadOnlySpan().Slice(0, 0, 4000, train.Cols));
        var arch = new DecoderArchitecture([128, 256, 784], Activation.LeakyRelu());
        Encoder = StarNetTrainer.Train(subset.AsReadOnlySpan(), arch, new TrainingOptions { EpochsPerLayer = 2 }).Model.Encoder;
        Test = test;
        Dense = Matrix<T>.CopyOf(test.AsReadOnlySpan());
        Span<T> dense = Dense.Span;
        for (int i = 0; i < dense.Length; i++)
        {
            dense[i] += T.CreateTruncating(DenseOffset);
        }

        Latents = new Matrix<T>(test.Rows, 128);
        Latent = new T[128];
    }

    public StarNetEncoder<T> Encoder { get; }

    public Matrix<T> Test { get; }

    /// <summary>The test images with <see cref="DenseOffset"/> added to every pixel: no zero pixels left.</summary>
    public Matrix<T> Dense { get; }

    public Matrix<T> Latents { get; }

    /// <summary>A tenth of a grey level: makes every pixel non-zero without changing the picture.</summary>
    public const double DenseOffset = 0.1 / 255;

    public T[] Latent { get; }

    /// <summary>Multiply-adds of one encode: the two pseudo-inverse products.</summary>
    public const double FlopsPerImage = 2.0 * ((784 * 256) + (256 * 128));
}

/// <summary>The precision parameter and the fixture shared by the encode benchmarks.</summary>
public abstract class EncodeBenchmarkBase
{
    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    internal EncodeFixture<float>? Single { get; private set; }

    internal EncodeFixture<double>? Double { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Precision == "float")
        {
            Single = new EncodeFixture<float>();
        }
        else
        {
            Double = new EncodeFixture<double>();
        }
    }
}

/// <summary>Batched encode (latent inference, Lemma 3) of the 10,000 MNIST test images.</summary>
[Config(typeof(EngineConfig))]
public class BatchEncodeBenchmarks : EncodeBenchmarkBase, IFlopCount
{
    public double Flops => BenchmarkData.TestCount * EncodeFixture<float>.FlopsPerImage;

    [Benchmark]
    public void EncodeTestSet()
    {
        if (Single is { } f)
        {
            f.Encoder.Encode(f.Test.AsReadOnlySpan(), f.Latents.AsSpan());
        }
        else
        {
            Double!.Encoder.Encode(Double.Test.AsReadOnlySpan(), Double.Latents.AsSpan());
        }
    }
}

/// <summary>
/// Single-sample encode latency: median time and bytes allocated per call (issue #4's target: about 10 us, 0 B).
/// The top layer's product skips the rows of P^T whose input is zero (an image's zero pixels stay zero through the
/// inverse leaky ReLU), so the time depends on the input: "mnist" encodes the test images as they are (about 81% of
/// MNIST's pixels are 0), "dense" the same images with a tenth of a grey level added to every pixel, which reads all
/// of both pseudo-inverses (0.93 MB in float) per call.
/// </summary>
[Config(typeof(EngineConfig))]
[MedianColumn]
public class SingleEncodeBenchmarks : EncodeBenchmarkBase, IFlopCount
{
    private int _next;

    /// <summary>"mnist" (the test images) or "dense" (every pixel non-zero).</summary>
    [Params("mnist", "dense")]
    public string Input { get; set; } = "mnist";

    /// <summary>The dense products' multiply-adds (the "mnist" case skips the zero pixels' share of the top layer).</summary>
    public double Flops => EncodeFixture<float>.FlopsPerImage;

    /// <summary>Encodes the next test image (cycling through all 10,000, so the input is not always cached).</summary>
    [Benchmark]
    public void EncodeOne()
    {
        int i = _next;
        _next = i + 1 == BenchmarkData.TestCount ? 0 : i + 1;
        if (Single is { } f)
        {
            f.Encoder.Encode((Input == "dense" ? f.Dense : f.Test).AsReadOnlySpan().Row(i), f.Latent);
        }
        else
        {
            Double!.Encoder.Encode((Input == "dense" ? Double.Dense : Double.Test).AsReadOnlySpan().Row(i), Double.Latent);
        }
    }
}
