using System.Numerics;
using BenchmarkDotNet.Attributes;
using StarNet.Benchmarks.Columns;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Solvers;
using StarNet.Training;

namespace StarNet.Benchmarks.Model;

/// <summary>
/// One training epoch of each layer of the paper's 128 -> 256 -> 784 decoder on the full MNIST training set
/// (60,000 images): the latent solve and the weight solve (normal equations or QR), each followed by the layer's
/// residuals and losses, exactly as training runs them (the whole-network metrics of layer 1 are not part of an
/// epoch), on 2 threads and on 1. The GFLOP/s column divides the epoch's essential flops (<see cref="EpochFlops"/>)
/// by its time; <see cref="EpochGemmBenchmarks"/> times the engine's GEMM on the same layer's residual shape with the
/// same parameters, so "% of GEMM" is the ratio of the two GFLOP/s columns (issue #4's target: 60% or more).
/// </summary>
[Config(typeof(EngineConfig))]
public class TrainingEpochBenchmarks : IFlopCount
{
    private static readonly int[] Widths = [128, 256, 784];
    private IEpoch? _epoch;

    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    /// <summary>1 = 128 -> 256 (nearest the latent code), 2 = 256 -> 784.</summary>
    [Params(2, 1)]
    public int Layer { get; set; } = 2;

    /// <summary>The weight-solve method: the normal equations (the default) or Householder QR.</summary>
    [Params(SolverMethod.NormalEquations, SolverMethod.Qr)]
    public SolverMethod Solver { get; set; } = SolverMethod.NormalEquations;

    /// <summary>Threads of the engine and of the row passes.</summary>
    [Params(2, 1)]
    public int Threads { get; set; } = 2;

    /// <summary>
    /// The epoch's essential flops: the latent solve (QR pseudo-inverse of W, d_out x d_in, then the N x d_out x d_in
    /// GEMM), the weight solve (<see cref="LayerSolver.LeastSquaresFlops"/>: for the normal equations N (d_in + 1)^2 for
    /// the Gram matrix plus 2 N (d_in + 1) d_out for [H 1]^T T and the small Cholesky and solves) and the two residual
    /// GEMMs (2 N d_in d_out each): 100.2 GFLOP at layer 2 and 17.7 GFLOP at layer 1 with the normal equations.
    /// </summary>
    public double Flops => EpochFlops(BenchmarkData.TrainCount, Widths[Layer - 1], Widths[Layer], Solver);

    /// <summary>Essential flops of one epoch as LayerTrainer counts them: pseudo-inverse + latent GEMM, LS solve, two residual GEMMs.</summary>
    public static double EpochFlops(double n, double din, double dout, SolverMethod method) =>
        LayerSolver.PseudoInverseFlops(dout, din) + (2 * n * dout * din)
        + LayerSolver.LeastSquaresFlops(method, n, din + 1, dout)
        + (2 * 2 * n * din * dout);

    /// <summary>The pre-activation targets a^-1(y), row by row.</summary>
    internal static Matrix<T> Inverse<T>(Matrix<T> y, Activation a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = new Matrix<T>(y.Rows, y.Cols);
        for (int r = 0; r < y.Rows; r++)
        {
            a.Inverse(y.AsReadOnlySpan().Row(r), t.AsSpan().Row(r));
        }

        return t;
    }

    [GlobalSetup]
    public void Setup()
    {
        LinearAlgebraSettings.DegreeOfParallelism = Threads;
        _epoch = Precision == "float" ? new Epoch<float>(Layer, Solver, Threads) : new Epoch<double>(Layer, Solver, Threads);
    }

    [Benchmark]
    public void OneEpoch() => _epoch!.Run();

    private interface IEpoch
    {
        void Run();
    }

    private sealed class Epoch<T> : IEpoch
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly LayerTrainer<T> _trainer;
        private readonly List<TrainingStepMetrics> _log = [];

        public Epoch(int layer, SolverMethod solver, int threads)
        {
            (Matrix<T> x, _) = BenchmarkData.Mnist<T>();
            var arch = new DecoderArchitecture(Widths, Activation.LeakyRelu());
            var options = new TrainingOptions { EpochsPerLayer = 1, ReportNetworkMetrics = false, Solver = solver };
            Matrix<T> targetOut = x;
            Matrix<T> targetPre = Inverse(x, arch.Activation);
            if (layer == 1)
            {
                // Layer 1 learns the latents layer 2 solved: train layer 2 for one epoch first.
                var top = new LayerTrainer<T>(2, arch, options, threads, targetPre, x, x, []);
                top.Run([], null, default);
                targetOut = Matrix<T>.CopyOf(top.Inputs);
                targetPre = Inverse(targetOut, arch.Activation);
            }

            _trainer = new LayerTrainer<T>(layer, arch, options, threads, targetPre, targetOut, x, []);
            _trainer.Initialize();
        }

        public void Run()
        {
            _trainer.Epoch(1, _log, null, default);
            _log.Clear();
        }
    }
}

/// <summary>
/// The yardstick for <see cref="TrainingEpochBenchmarks"/>: the engine's GEMM on the layer's residual shape
/// (Z = H W^T, N x d_out x d_in on the 60,000 MNIST rows), with the same precision and threads.
/// </summary>
[Config(typeof(EngineConfig))]
public class EpochGemmBenchmarks : IFlopCount
{
    private static readonly int[] Widths = [128, 256, 784];
    private Action? _run;

    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    /// <summary>1 = 128 -> 256, 2 = 256 -> 784.</summary>
    [Params(2, 1)]
    public int Layer { get; set; } = 2;

    [Params(2, 1)]
    public int Threads { get; set; } = 2;

    public double Flops => 2.0 * BenchmarkData.TrainCount * Widths[Layer - 1] * Widths[Layer];

    [GlobalSetup]
    public void Setup()
    {
        LinearAlgebraSettings.DegreeOfParallelism = Threads;
        _run = Precision == "float" ? Make<float>() : Make<double>();
    }

    [Benchmark]
    public void LayerGemm() => _run!();

    private Action Make<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int din = Widths[Layer - 1], dout = Widths[Layer];
        var rng = new Random(3);
        var h = new Matrix<T>(BenchmarkData.TrainCount, din);
        var w = new Matrix<T>(dout, din);
        var z = new Matrix<T>(BenchmarkData.TrainCount, dout);
        for (int i = 0; i < h.Span.Length; i++)
        {
            h.Span[i] = T.CreateTruncating(rng.NextDouble());
        }

        for (int i = 0; i < w.Span.Length; i++)
        {
            w.Span[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
        }

        return () => Blas.Gemm(T.One, h.AsReadOnlySpan(), MatrixOp.None, w.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, z.AsSpan());
    }
}
