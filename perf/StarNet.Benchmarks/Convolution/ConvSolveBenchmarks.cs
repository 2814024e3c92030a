using BenchmarkDotNet.Attributes;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.Model.Convolution;

namespace StarNet.Benchmarks.Convolution;

/// <summary>
/// One epoch of each conv-unpool solve on MNIST, for the layers of the paper's network (preset <c>mnist</c>):
/// the latent solve of every training image (dense operator formed and factored once, then one GEMM per block) and
/// the kernel solve on 500 random images (streamed im2col QR, or the normal equations). The data is the full MNIST
/// train set from ../shared/data/mnist when it is there, otherwise the bundled 4,000-image sample (data/sample/mnist);
/// the first lower layer's targets are random latents of the right shape.
/// </summary>
[Config(typeof(EngineConfig))]
public class ConvSolveBenchmarks
{
    private ConvUnpoolGeometry _g = null!;
    private ConvUnpoolLayer<float> _layer = null!;
    private Matrix<float> _targets = null!;
    private Matrix<float> _latents = null!;
    private IReadOnlyList<IReadOnlyList<int>> _subset = null!;

    /// <summary>1: the same-padded layer nearest the latent code (6x4x4 -> 2x8x8); 2: the full layer producing 28x28.</summary>
    [Params(1, 2)]
    public int Layer { get; set; } = 2;

    [GlobalSetup]
    public void Setup()
    {
        _g = ConvPreset.Mnist.Resolve()[Layer - 1];
        var random = new Random(42);
        Matrix<float> targets;
        if (Layer == 2)
        {
            DatasetSplit train = DatasetLoader.Load(MnistFolder()).Train;
            targets = Matrix<float>.FromRowMajor(train.Pixels, train.Count, train.Dimension);
        }
        else
        {
            targets = Uniform(60_000, _g.OutputLength, random);
        }

        _targets = targets;
        _layer = new ConvUnpoolLayer<float>(_g, Uniform(_g.ConvChannels, _g.KernelTaps, random, 1.0 / Math.Sqrt(_g.KernelTaps)).AsReadOnlySpan(), new float[_g.ConvChannels]);
        _latents = new Matrix<float>(targets.Rows, _g.InputLength);
        ConvUnpoolSolver.SolveLatents(_layer, _targets.AsReadOnlySpan(), _latents.AsSpan());
        int[] picked = [.. Enumerable.Range(0, targets.Rows).OrderBy(_ => random.Next()).Take(500).Order()];
        _subset = [picked];
    }

    /// <summary>SL: every image's latents against the layer's dense operator (formed, factored, applied).</summary>
    [Benchmark]
    public void LatentSolveAllImages() => ConvUnpoolSolver.SolveLatents(_layer, _targets.AsReadOnlySpan(), _latents.AsSpan());

    /// <summary>SW: the kernels from 500 images by streamed Householder QR of the im2col patches.</summary>
    [Benchmark]
    public ConvUnpoolLayer<float> KernelSolve500ImagesQr() =>
        ConvUnpoolSolver.SolveKernels(_g, _latents.AsReadOnlySpan(), _targets.AsReadOnlySpan(), _subset, method: LeastSquaresMethod.HouseholderQR);

    /// <summary>SW: the same by the normal equations.</summary>
    [Benchmark]
    public ConvUnpoolLayer<float> KernelSolve500ImagesNormalEquations() =>
        ConvUnpoolSolver.SolveKernels(_g, _latents.AsReadOnlySpan(), _targets.AsReadOnlySpan(), _subset, method: LeastSquaresMethod.NormalEquations);

    private static string MnistFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StarNet.Core.sln")))
            {
                string shared = Path.Combine(dir.FullName, "..", "shared", "data", "mnist");
                return Directory.Exists(shared) ? shared : Path.Combine(dir.FullName, "data", "sample", "mnist");
            }
        }

        throw new DirectoryNotFoundException("The repository root (StarNet.Core.sln) was not found above the benchmark's folder.");
    }

    private static Matrix<float> Uniform(int rows, int cols, Random random, double scale = 1.0)
    {
        var m = new Matrix<float>(rows, cols);
        Span<float> values = m.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(scale * random.NextDouble() * 2 - scale);
        }

        return m;
    }
}
