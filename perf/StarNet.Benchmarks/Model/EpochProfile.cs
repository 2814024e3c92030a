using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.Model;
using StarNet.Solvers;
using StarNet.Training;

namespace StarNet.Benchmarks.Model;

/// <summary>
/// Where an epoch's time goes, on full MNIST, for each layer of the 128 -> 256 -> 784 decoder: the epoch as training
/// runs it (its two steps, each split into the solve and the residual pass), then each component alone on the same
/// matrices: the latent GEMM, the residual GEMM, the Gram SYRK of [H 1] (in double), [H 1]^T T, the whole one-shot
/// weight solve, and the engine's GEMM on the residual shape as the yardstick. Median of a few runs, wall time, with
/// the load average printed: a rough profile for a shared machine, the BenchmarkDotNet classes are the measurement.
/// <code>
/// dotnet run -c Release --project perf/StarNet.Benchmarks -- profile [--dtype float|double] [--threads 2] [--repeat 5]
/// </code>
/// </summary>
internal static class EpochProfile
{
    private static readonly int[] Widths = [128, 256, 784];

    public static int Run(string[] args)
    {
        string dtype = Option(args, "dtype", "float");
        int threads = int.Parse(Option(args, "threads", "2"), CultureInfo.InvariantCulture);
        int repeat = int.Parse(Option(args, "repeat", "5"), CultureInfo.InvariantCulture);
        LinearAlgebraSettings.DegreeOfParallelism = threads;
        Console.WriteLine($"{LinearAlgebraSettings.Describe()}; {dtype}, {threads} thread(s); load average at start {RunEnvironment.LoadAverageNow()}");
        if (args.Contains("--syrk"))
        {
            Gram(repeat);
        }
        else if (args.Contains("--encode"))
        {
            Encode<float>();
            Encode<double>();
        }
        else if (dtype == "double")
        {
            Profile<double>(threads, repeat);
        }
        else
        {
            Profile<float>(threads, repeat);
        }

        Console.WriteLine($"load average at end {RunEnvironment.LoadAverageNow()}");
        return 0;
    }

    private static void Profile<T>(int threads, int repeat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Matrix<T> x, _) = BenchmarkData.Mnist<T>();
        var arch = new DecoderArchitecture(Widths, Activation.LeakyRelu());
        var options = new TrainingOptions { EpochsPerLayer = 1, ReportNetworkMetrics = false };
        Matrix<T> targetPre = TrainingEpochBenchmarks.Inverse(x, arch.Activation);
        var top = new LayerTrainer<T>(2, arch, options, threads, targetPre, x, x, []);
        top.Initialize();
        Layer(2, top, targetPre, arch, repeat);

        Matrix<T> out1 = Matrix<T>.CopyOf(top.Inputs);
        Matrix<T> pre1 = TrainingEpochBenchmarks.Inverse(out1, arch.Activation);
        var bottom = new LayerTrainer<T>(1, arch, options, threads, pre1, out1, x, []);
        bottom.Initialize();
        Layer(1, bottom, pre1, arch, repeat);
    }

    private static void Layer<T>(int layer, LayerTrainer<T> trainer, Matrix<T> target, DecoderArchitecture arch, int repeat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = target.Rows, din = arch.InputWidth(layer), dout = arch.OutputWidth(layer);
        var log = new List<TrainingStepMetrics>();
        trainer.Epoch(1, log, null, default);
        log.Clear();
        var epochs = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            trainer.Epoch(i + 2, log, null, default);
            epochs[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        double flops = TrainingEpochBenchmarks.EpochFlops(n, din, dout, SolverMethod.NormalEquations);
        TrainingStepMetrics[] latents = [.. log.Where(s => s.Step == TrainingStep.Latents)];
        TrainingStepMetrics[] weights = [.. log.Where(s => s.Step == TrainingStep.Weights)];

        // The components alone, on the trainer's own matrices.
        var h1 = new Matrix<T>(n, din + 1);
        trainer.Inputs.CopyTo(h1.Slice(0, 0, n, din));
        for (int r = 0; r < n; r++)
        {
            h1[r, din] = T.One;
        }

        var w = new Matrix<T>(dout, din);
        var p = new Matrix<T>(din, dout);
        var z = new Matrix<T>(n, dout);
        var hOut = new Matrix<T>(n, din);
        var gram = new Matrix<double>(din + 1, din + 1);
        var atb = new Matrix<T>(din + 1, dout);
        var rng = new Random(1);
        for (int i = 0; i < w.Span.Length; i++)
        {
            w.Span[i] = T.CreateTruncating(rng.NextDouble() - 0.5);
            p.Span[i] = w.Span[i];
        }

        double latentGemm = Median(repeat, () => Blas.Gemm(T.One, target.AsReadOnlySpan(), MatrixOp.None, p.AsReadOnlySpan(), MatrixOp.Transpose, T.One, hOut.AsSpan()));
        double residualGemm = Median(repeat, () => Blas.Gemm(T.One, h1.AsReadOnlySpan().Slice(0, 0, n, din), MatrixOp.None, w.AsReadOnlySpan(), MatrixOp.Transpose, T.Zero, z.AsSpan()));
        double syrk = Median(repeat, () => Blas.SyrkWidening(Triangle.Lower, MatrixOp.Transpose, 1.0, h1.AsReadOnlySpan(), 0.0, gram.AsSpan()));
        double atbGemm = Median(repeat, () => Blas.Gemm(T.One, h1.AsReadOnlySpan(), MatrixOp.Transpose, target.AsReadOnlySpan(), MatrixOp.None, T.Zero, atb.AsSpan()));
        double pinv = Median(repeat, () => LayerSolver.PseudoInverse(w.AsReadOnlySpan(), p.AsSpan(), 0.0));
        double solve = Median(repeat, () => LeastSquaresSolver<T>.SolveOnce(h1.AsReadOnlySpan(), target.AsReadOnlySpan(), atb.AsSpan(), new LeastSquaresOptions { Method = LeastSquaresMethod.NormalEquations }));
        double gemmRate = 2.0 * n * din * dout / residualGemm / 1e9;
        double gramFlops = (double)n * (din + 1) * (din + 1);
        double atbFlops = 2.0 * n * (din + 1) * dout;
        double gemmFlops = 2.0 * n * din * dout;
        double epoch = Median(epochs);

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"""

            ## layer {layer}: {n} x {din} -> {dout}; epoch {flops / 1e9:F1} GFLOP
            epoch (median of {repeat}): {epoch * 1e3:F0} ms = {flops / epoch / 1e9:F1} GFLOP/s = {100 * flops / epoch / 1e9 / gemmRate:F0}% of the residual GEMM's {gemmRate:F1} GFLOP/s
            latent step: solve {Median(latents.Select(s => s.SolveSeconds)) * 1e3:F0} ms + residuals {Median(latents.Select(s => s.Seconds - s.SolveSeconds)) * 1e3:F0} ms
            weight step: solve {Median(weights.Select(s => s.SolveSeconds)) * 1e3:F0} ms + residuals {Median(weights.Select(s => s.Seconds - s.SolveSeconds)) * 1e3:F0} ms

            | component | essential GFLOP | ms | GFLOP/s |
            | --- | ---: | ---: | ---: |
            | latent solve's pseudo-inverse of W (QR) | {LayerSolver.PseudoInverseFlops(dout, din) / 1e9:F2} | {pinv * 1e3:F1} | {LayerSolver.PseudoInverseFlops(dout, din) / pinv / 1e9:F1} |
            | latent GEMM T P^T | {gemmFlops / 1e9:F2} | {latentGemm * 1e3:F1} | {gemmFlops / latentGemm / 1e9:F1} |
            | residual GEMM H W^T (x2 per epoch) | {gemmFlops / 1e9:F2} | {residualGemm * 1e3:F1} | {gemmRate:F1} |
            | Gram SYRK of [H 1] in double | {gramFlops / 1e9:F2} | {syrk * 1e3:F1} | {gramFlops / syrk / 1e9:F1} |
            | [H 1]^T T GEMM | {atbFlops / 1e9:F2} | {atbGemm * 1e3:F1} | {atbFlops / atbGemm / 1e9:F1} |
            | whole weight solve (SolveOnce, normal equations) | {(gramFlops + atbFlops) / 1e9:F2} | {solve * 1e3:F1} | {(gramFlops + atbFlops) / solve / 1e9:F1} |
            | weight solve minus Gram and A^T T (Cholesky, TRSMs, checks) | | {(solve - syrk - atbGemm) * 1e3:F1} | |
            """));
    }

    /// <summary>
    /// Single-sample encode of the 10,000 test images (median per call after a warm-up, bytes allocated), on the MNIST
    /// images and on the same images with every pixel non-zero, beside the old path's core: the two dense GEMVs with
    /// the layers' pseudo-inverses, interleaved call by call so that all three see the same load.
    /// </summary>
    private static void Encode<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = new EncodeFixture<T>();
        var times = new double[3][];
        for (int v = 0; v < 3; v++)
        {
            times[v] = new double[BenchmarkData.TestCount];
        }

        var h = new T[256];
        var z = new T[128];
        ReadOnlyMatrixSpan<T> p2 = f.Encoder.PseudoInverse(2), p1 = f.Encoder.PseudoInverse(1);
        long bytes = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int r = 0; r < BenchmarkData.TestCount; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                f.Encoder.Encode(f.Test.AsReadOnlySpan().Row(r), f.Latent);
                long t1 = Stopwatch.GetTimestamp();
                f.Encoder.Encode(f.Dense.AsReadOnlySpan().Row(r), f.Latent);
                long t2 = Stopwatch.GetTimestamp();
                Blas.Gemv(T.One, p2, MatrixOp.None, f.Test.AsReadOnlySpan().Row(r), T.Zero, h);
                Blas.Gemv(T.One, p1, MatrixOp.None, h, T.Zero, z);
                long t3 = Stopwatch.GetTimestamp();
                times[0][r] = Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds;
                times[1][r] = Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds;
                times[2][r] = Stopwatch.GetElapsedTime(t2, t3).TotalMicroseconds;
            }

            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        double[] interleaved = [Median(times[0]), Median(times[1]), Median(times[2])];

        // Each kind alone, call after call (what a benchmark loop sees): no other call warms or evicts the caches in between.
        var alone = new double[3];
        for (int v = 0; v < 3; v++)
        {
            for (int r = 0; r < BenchmarkData.TestCount; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                if (v == 0)
                {
                    f.Encoder.Encode(f.Test.AsReadOnlySpan().Row(r), f.Latent);
                }
                else if (v == 1)
                {
                    f.Encoder.Encode(f.Dense.AsReadOnlySpan().Row(r), f.Latent);
                }
                else
                {
                    Blas.Gemv(T.One, p2, MatrixOp.None, f.Test.AsReadOnlySpan().Row(r), T.Zero, h);
                    Blas.Gemv(T.One, p1, MatrixOp.None, h, T.Zero, z);
                }

                times[v][r] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }

            alone[v] = Median(times[v]);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{typeof(T).Name}, each kind alone: encode {alone[0]:F2} us (MNIST), {alone[1]:F2} us (dense); two GEMVs {alone[2]:F2} us"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{typeof(T).Name}: interleaved call by call: encode median {interleaved[0]:F2} us (MNIST images), {interleaved[1]:F2} us (every pixel non-zero); the two dense GEMVs alone {interleaved[2]:F2} us; {bytes} bytes allocated by the last pass of 3 x 10,000 calls"));
    }

    /// <summary>SYRK against GEMM on the Gram matrices of the weight solves (60000 x 257 and 60000 x 129).</summary>
    private static void Gram(int repeat)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine("| A | SYRK float | GEMM float (A^T A) | SYRK double | GEMM double | SYRK float -> double | before: SYRK float | before: Gram float -> double |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int n in new[] { 257, 129 })
        {
            const int m = 60000;
            var rng = new Random(2);
            var af = new Matrix<float>(m, n);
            var ad = new Matrix<double>(m, n);
            for (int i = 0; i < af.Span.Length; i++)
            {
                af.Span[i] = (float)rng.NextDouble();
                ad.Span[i] = af.Span[i];
            }

            var cf = new Matrix<float>(n, n);
            var cd = new Matrix<double>(n, n);
            double syrk = (double)m * n * (n + 1), gemm = 2.0 * m * n * n;
            double t1 = Median(repeat, () => Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1f, af.AsReadOnlySpan(), 0f, cf.AsSpan()));
            double t2 = Median(repeat, () => Blas.Gemm(1f, af.AsReadOnlySpan(), MatrixOp.Transpose, af.AsReadOnlySpan(), MatrixOp.None, 0f, cf.AsSpan()));
            double t3 = Median(repeat, () => Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, ad.AsReadOnlySpan(), 0.0, cd.AsSpan()));
            double t4 = Median(repeat, () => Blas.Gemm(1.0, ad.AsReadOnlySpan(), MatrixOp.Transpose, ad.AsReadOnlySpan(), MatrixOp.None, 0.0, cd.AsSpan()));
            double t5 = Median(repeat, () => Blas.SyrkWidening(Triangle.Lower, MatrixOp.Transpose, 1.0, af.AsReadOnlySpan(), 0.0, cd.AsSpan()));
            double t6 = Median(repeat, () => OldSyrk(af.AsReadOnlySpan(), cf.AsSpan()));
            double t7 = Median(repeat, () => OldGram(af.AsReadOnlySpan(), cd.AsSpan()));
            Console.WriteLine(string.Create(c, $"| {m} x {n} | {t1 * 1e3:F1} ms, {syrk / t1 / 1e9:F1} GFLOP/s | {t2 * 1e3:F1} ms, {gemm / t2 / 1e9:F1} | {t3 * 1e3:F1} ms, {syrk / t3 / 1e9:F1} | {t4 * 1e3:F1} ms, {gemm / t4 / 1e9:F1} | {t5 * 1e3:F1} ms, {syrk / t5 / 1e9:F1} | {t6 * 1e3:F1} ms, {syrk / t6 / 1e9:F1} | {t7 * 1e3:F1} ms, {syrk / t7 / 1e9:F1} |"));
        }
    }

    /// <summary>The engine's SYRK before this change (lower, A^T A): per 128-column block, one GEMM left of the diagonal and one for the diagonal block into scratch, merged.</summary>
    private static void OldSyrk<T>(ReadOnlyMatrixSpan<T> a, MatrixSpan<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Cols, k = a.Rows;
        var d = new Matrix<T>(128, 128);
        for (int i0 = 0; i0 < n; i0 += 128)
        {
            int ni = Math.Min(128, n - i0);
            ReadOnlyMatrixSpan<T> ai = a.Slice(0, i0, k, ni);
            if (i0 > 0)
            {
                Blas.Gemm(T.One, ai, MatrixOp.Transpose, a.Slice(0, 0, k, i0), MatrixOp.None, T.Zero, c.Slice(i0, 0, ni, i0));
            }

            MatrixSpan<T> dv = d.Slice(0, 0, ni, ni);
            Blas.Gemm(T.One, ai, MatrixOp.Transpose, ai, MatrixOp.None, T.Zero, dv);
            for (int r = 0; r < ni; r++)
            {
                dv.Row(r)[..(r + 1)].CopyTo(c.Row(i0 + r).Slice(i0, r + 1));
            }
        }
    }

    /// <summary>The float Gram matrix in double before this change: 512-row blocks converted to double, then the old double SYRK, accumulated.</summary>
    private static void OldGram(ReadOnlyMatrixSpan<float> a, MatrixSpan<double> g)
    {
        int n = a.Cols;
        var block = new Matrix<double>(512, n);
        var part = new Matrix<double>(n, n);
        g.Clear();
        for (int r0 = 0; r0 < a.Rows; r0 += 512)
        {
            int rows = Math.Min(512, a.Rows - r0);
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<float> src = a.Row(r0 + i);
                Span<double> dst = block.AsSpan().Row(i);
                for (int j = 0; j < n; j++)
                {
                    dst[j] = src[j];
                }
            }

            // The old SYRK accumulated with beta = 1; here each block's part is added.
            OldSyrk(block.AsReadOnlySpan().Slice(0, 0, rows, n), part.AsSpan());
            for (int i = 0; i < n; i++)
            {
                Span<double> gi = g.Row(i), pi = part.AsSpan().Row(i);
                for (int j = 0; j <= i; j++)
                {
                    gi[j] += pi[j];
                }
            }
        }
    }

    private static double Median(int repeat, Action action)
    {
        action();
        var t = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            t[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        return Median(t);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        return v.Length == 0 ? double.NaN : v[v.Length / 2];
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
