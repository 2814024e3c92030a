using System.Diagnostics;
using System.Globalization;
using StarNet.Data;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Model;
using StarNet.Training;

/// <summary>
/// Measures training epochs of the paper's decoder (ff:128,256, leaky ReLU 0.5) on this rank's shard: per layer,
/// the wall time of an epoch (a latent solve and a weight solve, with their metrics) and the part of it spent
/// inside collectives, as this rank saw it (waiting for a slower rank counts as communication).
/// </summary>
internal static class EpochTimes
{
    public static void Run(ICommunicator communicator, string dataPath, int samples, int epochs, string solver, int threads)
    {
        var metered = new MeteredCommunicator(communicator);
        var shard = new DatasetShard(communicator.Rank, communicator.Size);
        Dataset data = DatasetLoader.Load(dataPath, new DatasetLoadOptions { MaxSamples = samples, Shard = communicator.Size > 1 ? shard : null });
        var x = new ReadOnlyMatrixSpan<float>(data.Train.Pixels, data.Train.Count, data.Train.Dimension);
        var architecture = new DecoderArchitecture([128, 256, data.Shape.Size], Activation.LeakyRelu());
        var options = new TrainingOptions
        {
            EpochsPerLayer = epochs,
            PlateauTolerance = 0,
            Solver = solver == "normal" ? SolverMethod.NormalEquations : SolverMethod.Qr,
            DegreeOfParallelism = threads,
            CloseWithLatentSolve = false,
            ReportNetworkMetrics = false,
        };

        var steps = new List<(TrainingStepMetrics Metrics, TimeSpan Communication, long Bytes)>();
        var progress = new StepClock(metered, steps);
        metered.Reset();
        long start = Stopwatch.GetTimestamp();
        TrainingResult<float> result = StarNetTrainer.Train(x, default, false, architecture, options, metered, progress);
        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;

        string where = string.Create(CultureInfo.InvariantCulture, $"rank {communicator.Rank}/{communicator.Size}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{where}: {data.Train.Count} local rows, {threads} thread(s), solver {solver}, {communicator.Description}"));
        foreach (IGrouping<int, (TrainingStepMetrics Metrics, TimeSpan Communication, long Bytes)> layer in steps.GroupBy(s => s.Metrics.Layer))
        {
            double seconds = layer.Sum(s => s.Metrics.Seconds) / epochs;
            double comm = layer.Sum(s => s.Communication.TotalSeconds) / epochs;
            double bytes = layer.Sum(s => (double)s.Bytes) / epochs;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{where}: layer {layer.Key}: {seconds:0.000} s per epoch, {comm:0.0000} s in collectives ({100 * comm / seconds:0.0}%), {bytes / 1e6:0.000} MB contributed per epoch, final layer MSE {layer.Last().Metrics.LayerMse:G6}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{where}: total {total:0.00} s, {metered.Elapsed.TotalSeconds:0.000} s in {metered.Calls} collectives, network MSE {result.History.Steps[^1].NetworkMse:G6}"));
    }

    /// <summary>Called synchronously after every half-step: charges the collectives since the last step to this one.</summary>
    private sealed class StepClock(MeteredCommunicator metered, List<(TrainingStepMetrics, TimeSpan, long)> steps) : IProgress<TrainingProgress>
    {
        private TimeSpan _lastTime;
        private long _lastBytes;

        public void Report(TrainingProgress value)
        {
            steps.Add((value.Metrics, metered.Elapsed - _lastTime, metered.Bytes - _lastBytes));
            _lastTime = metered.Elapsed;
            _lastBytes = metered.Bytes;
        }
    }

    /// <summary>
    /// Times the weight solve's collectives alone at the sizes of ff:128,256 on MNIST (n = d_in + 1, k = d_out), after
    /// a barrier so that no rank waits for another: what moving the numbers costs, without load imbalance.
    /// </summary>
    public static void Collectives(ICommunicator communicator)
    {
        const int repeats = 20;
        foreach ((int n, int k) in new[] { (129, 256), (257, 784) })
        {
            var normal = new double[DistributedLeastSquares.CommunicatedNumbers(DistributedSolveMethod.NormalEquations, n, k)];
            int block = (n * (n + 1) / 2) + (n * k);
            var mine = new float[block];
            float[] all = communicator.Rank == 0 ? new float[block * communicator.Size] : [];
            var x = new float[n * k];
            communicator.Barrier();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < repeats; i++)
            {
                communicator.AllReduceSum(normal);
            }

            double allReduce = Stopwatch.GetElapsedTime(start).TotalSeconds / repeats;
            communicator.Barrier();
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < repeats; i++)
            {
                communicator.Gather<float>(mine, all, 0);
                communicator.Broadcast<float>(x, 0);
            }

            double tsqr = Stopwatch.GetElapsedTime(start).TotalSeconds / repeats;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"rank {communicator.Rank}/{communicator.Size}: n = {n}, k = {k}: all-reduce of {normal.Length} doubles ({normal.Length * 8 / 1e6:0.000} MB) {allReduce * 1e3:0.00} ms; TSQR gather of {block} floats + broadcast of {n * k} floats {tsqr * 1e3:0.00} ms"));
        }
    }

    /// <summary>Prints, per layer, the largest |a - b| of the weights and biases of two model files relative to the largest |a|.</summary>
    public static void Compare(string first, string second)
    {
        StarNetModel<float> a = ModelFile.Load<float>(first), b = ModelFile.Load<float>(second);
        for (int i = 0; i < a.Layers.Count; i++)
        {
            (double wd, double ws) = Difference(a.Layers[i].Weight.ToArray(), b.Layers[i].Weight.ToArray());
            (double bd, double bs) = Difference(a.Layers[i].Bias.ToArray(), b.Layers[i].Bias.ToArray());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"layer {i + 1}: W max |a-b| {wd:E2} (max |a| {ws:G4}, relative {wd / ws:E2}); b max |a-b| {bd:E2} (relative {bd / bs:E2})"));
        }

        (double md, double ms) = Difference(a.LatentPrior!.Mean.ToArray(), b.LatentPrior!.Mean.ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prior mean: max |a-b| {md:E2} (relative {md / ms:E2})"));
    }

    private static (double Difference, double Scale) Difference(float[] a, float[] b) =>
        (a.Zip(b, (p, q) => (double)Math.Abs(p - q)).Max(), a.Max(v => (double)Math.Abs(v)));
}
