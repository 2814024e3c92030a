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
        Latents = new Matrix<T>(test.Rows, 128);
        Latent = new T[128];
    }

    public StarNetEncoder<T> Encoder { get; }

    public Matrix<T> Test { get; }

    public Matrix<T> Latents { get; }

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

/// <summary>Single-sample encode latency (one GEMV per layer, per-thread scratch): median time and bytes allocated per call (target: about 10 us, 0 B).</summary>
[Config(typeof(EngineConfig))]
[MedianColumn]
public class SingleEncodeBenchmarks : EncodeBenchmarkBase, IFlopCount
{
    private int _next;

    public double Flops => EncodeFixture<float>.FlopsPerImage;

    /// <summary>Encodes the next test image (cycling through all 10,000, so the input is not always cached).</summary>
    [Benchmark]
    public void EncodeOne()
    {
        int i = _next;
        _next = i + 1 == BenchmarkData.TestCount ? 0 : i + 1;
        if (Single is { } f)
        {
            f.Encoder.Encode(f.Test.AsReadOnlySpan().Row(i), f.Latent);
        }
        else
        {
            Double!.Encoder.Encode(Double.Test.AsReadOnlySpan().Row(i), Double.Latent);
        }
    }
}
