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
/// (60,000 images): the latent solve and the weight solve (normal equations or QR), each followed by the layer's residuals and
/// losses, exactly as training runs them (the whole-network metrics of layer 1 are not part of an epoch).
/// The GFLOP/s column divides the epoch's essential flops by its time; compare with the GEMM benchmarks'
/// AtB_257x784x60000 and AB_256x60000x784 rows.
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

    public double Flops => EpochFlops(BenchmarkData.TrainCount, Widths[Layer - 1], Widths[Layer], Solver);

    /// <summary>Essential flops of one epoch as LayerTrainer counts them: pseudo-inverse + latent GEMM, LS solve, two residual GEMMs.</summary>
    public static double EpochFlops(double n, double din, double dout, SolverMethod method) =>
        LayerSolver.PseudoInverseFlops(dout, din) + (2 * n * dout * din)
        + LayerSolver.LeastSquaresFlops(method, n, din + 1, dout)
        + (2 * 2 * n * din * dout);

    [GlobalSetup]
    public void Setup() => _epoch = Precision == "float" ? new Epoch<float>(Layer, Solver) : new Epoch<double>(Layer, Solver);

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

        public Epoch(int layer, SolverMethod solver)
        {
            (Matrix<T> x, _) = BenchmarkData.Mnist<T>();
            var arch = new DecoderArchitecture(Widths, Activation.LeakyRelu());
            var options = new TrainingOptions { EpochsPerLayer = 1, ReportNetworkMetrics = false, Solver = solver };
            Matrix<T> targetOut = x;
            Matrix<T> targetPre = Inverse(x, arch.Activation);
            if (layer == 1)
            {
                // Layer 1 learns the latents layer 2 solved: train layer 2 for one epoch first.
                var top = new LayerTrainer<T>(2, arch, options, LinearAlgebraSettings.DegreeOfParallelism, targetPre, x, x, []);
                top.Run([], null, default);
                targetOut = Matrix<T>.CopyOf(top.Inputs);
                targetPre = Inverse(targetOut, arch.Activation);
            }

            _trainer = new LayerTrainer<T>(layer, arch, options, LinearAlgebraSettings.DegreeOfParallelism, targetPre, targetOut, x, []);
            _trainer.Initialize();
        }

        public void Run()
        {
            _trainer.Epoch(1, _log, null, default);
            _log.Clear();
        }

        private static Matrix<T> Inverse(Matrix<T> y, Activation a)
        {
            var t = new Matrix<T>(y.Rows, y.Cols);
            for (int r = 0; r < y.Rows; r++)
            {
                a.Inverse(y.AsReadOnlySpan().Row(r), t.AsSpan().Row(r));
            }

            return t;
        }
    }
}
