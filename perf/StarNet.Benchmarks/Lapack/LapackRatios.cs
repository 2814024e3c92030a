using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using StarNet.Benchmarks.Peers;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// Same-process ratios for a shared, loaded machine (<c>StarNet.Benchmarks lapack-ratios ...</c>): ours and the
/// LAPACKE/OpenBLAS peer run alternately on the same inputs (the benchmark classes' cases), each call timed by the
/// <b>CPU time of the calling thread</b> with one thread (time spent descheduled does not count) or by wall-clock
/// time with more threads (worker threads' CPU time is not the caller's), and the minimum and median over the
/// repetitions are reported with the ratio peer / ours (above 1: ours is faster). BenchmarkDotNet's medians remain
/// the reference on a quiet machine; this is how the numbers in docs/benchmarks.md under load were taken.
/// <code>
/// lapack-ratios geqrf|potrf|ls|single|trail [--precision float|double] [--threads N] [--reps R] [--filter NAME] [--thin-q true|false] [--min-us U] [--qr-blocking PANEL,LEAF[,u]] [--shapes M,N;M,N]
/// </code>
/// With <c>--min-us U</c> each timing covers as many back-to-back calls as one call of ours needs to take U microseconds
/// (the same count for ours and the peer, shown as "calls"), and the per-call time is reported: for cases of a few
/// microseconds the clock reads (a system call for the thread CPU clock) and the timer's own cost are otherwise a
/// large, equal part of both times and pull the ratio towards 1.
/// </summary>
internal static unsafe class LapackRatios
{
    private static LapackShape[]? s_shapes;

    public static int Run(string[] args)
    {
        string what = args.Length > 0 ? args[0] : string.Empty;
        string precision = Option(args, "--precision") ?? "float";
        int threads = int.Parse(Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        int reps = int.Parse(Option(args, "--reps") ?? "5", CultureInfo.InvariantCulture);
        string? filter = Option(args, "--filter");
        double minSeconds = double.Parse(Option(args, "--min-us") ?? "0", CultureInfo.InvariantCulture) * 1e-6;
        if (Option(args, "--thin-q") is { } thinQ)
        {
            LeastSquaresSolver<float>.ThinQOverride = bool.Parse(thinQ);
            LeastSquaresSolver<double>.ThinQOverride = bool.Parse(thinQ);
        }

        // Extra geqrf shapes (M,N;M,N...) in place of the standard list, for tuning the blocking choice.
        s_shapes = Option(args, "--shapes")?.Split(';').Select(x => x.Split(',')).Select(x => new LapackShape($"{x[0]}x{x[1]}", int.Parse(x[0], CultureInfo.InvariantCulture), int.Parse(x[1], CultureInfo.InvariantCulture))).ToArray();

        // Forces the QR's panel and leaf widths on this thread ("P,L"; "P,L,u" forces the unblocked path), to compare with the default choice.
        using IDisposable? blocking = Option(args, "--qr-blocking") is { } pl
            ? QrBlocking.Override(int.Parse(pl.Split(',')[0], CultureInfo.InvariantCulture), int.Parse(pl.Split(',')[1], CultureInfo.InvariantCulture), unblocked: pl.EndsWith(",u", StringComparison.Ordinal))
            : null;
        if (!Lapacke.IsAvailable)
        {
            Console.Error.WriteLine("error: the peer is missing: " + OpenBlas.Status);
            return 2;
        }

        LapackBenchmarkData.SetThreads(threads);
        Console.WriteLine($"# lapack-ratios {what}, {precision}, {threads} thread(s), {reps} reps, timing: {(threads == 1 ? "thread CPU time" : "wall clock")}{(minSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $", calls per timing for >= {minSeconds * 1e6:F0} us of ours") : string.Empty)}");
        Console.WriteLine($"# engine: {LinearAlgebraSettings.Describe()}; load at start: {RunEnvironment.LoadAverageNow()}");
        Console.WriteLine($"# peer: {OpenBlas.Status}");
        if (Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
        {
            // A handful of calls does not get past tier-0 code; without this the first cases measure the JIT.
            Console.WriteLine("# warning: set DOTNET_TieredCompilation=0, or the few calls per case run partly unoptimized code");
        }

        Console.WriteLine("| case | ours min | peer min | peer/ours (min) | ours median | peer median | peer/ours (median) | ours GFLOP/s (min) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach ((string name, double flops, Func<bool, IBenchmarkCase> make) in Cases(what, precision))
        {
            if (filter is null || name.Contains(filter, StringComparison.Ordinal))
            {
                Measure(name, flops, make, reps, threads, minSeconds);
            }
        }

        Console.WriteLine($"# load at end: {RunEnvironment.LoadAverageNow()}");
        return 0;
    }

    private static IEnumerable<(string Name, double Flops, Func<bool, IBenchmarkCase> Make)> Cases(string what, string precision) =>
        precision == "float" ? Cases<float>(what) : Cases<double>(what);

    private static IEnumerable<(string, double, Func<bool, IBenchmarkCase>)> Cases<T>(string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (what)
        {
            case "geqrf":
                foreach (LapackShape s in s_shapes ?? QrBenchmarks.Shapes)
                {
                    yield return (s.Name, (2.0 * s.M * s.N * s.N) - (2.0 * s.N * s.N * s.N / 3), peer => new QrCase<T>(s, peer));
                }

                break;
            case "potrf":
                foreach (int n in new[] { 16, 32, 48, 63, 64, 128, 256, 512, 1024, 2048 })
                {
                    yield return ($"n={n}", (double)n * n * n / 3, peer => new CholeskyCase<T>(n, peer));
                }

                break;
            case "ls":
                foreach (LeastSquaresProblem p in LeastSquaresBenchmarks.Problems)
                {
                    double f = new LeastSquaresBenchmarks { Problem = p }.Flops;
                    foreach (LeastSquaresMethod method in new[] { LeastSquaresMethod.HouseholderQR, LeastSquaresMethod.RandomizedCholeskyQR, LeastSquaresMethod.NormalEquations, LeastSquaresMethod.SemiNormalEquations })
                    {
                        yield return ($"{p.Name} {method} vs LAPACK-NE", f, peer => new LeastSquaresCase<T>(p, peer ? LeastSquaresBenchmarks.NormalEquationsName : Peer.StarNetName, method));
                    }

                    yield return ($"{p.Name} HouseholderQR vs gels", f, peer => new LeastSquaresCase<T>(p, peer ? LeastSquaresBenchmarks.GelsName : Peer.StarNetName, LeastSquaresMethod.HouseholderQR));
                }

                break;
            case "single":
                yield return ("784x256 Solver vs gemv", 2.0 * 784 * 256, peer => new SingleRhsCase<T>(784, 256, peer, pseudoInverse: peer));
                yield return ("784x256 PseudoInverse vs gemv", 2.0 * 784 * 256, peer => new SingleRhsCase<T>(784, 256, peer, pseudoInverse: true));
                break;
            case "trail":
                foreach ((int m, int n, int k) in new[] { (60000, 129, 128), (60000, 193, 64), (60000, 64, 64), (60000, 16, 16), (3072, 193, 64), (784, 192, 64) })
                {
                    yield return ($"C -= V W, m={m} n={n} k={k}", 2.0 * m * n * k, peer => new BlockReflectorGemmCase<T>(m, n, k, update: true, peer));
                    yield return ($"W = V^T C, m={m} n={n} k={k}", 2.0 * m * n * k, peer => new BlockReflectorGemmCase<T>(m, n, k, update: false, peer));
                }

                break;
            default:
                throw new ArgumentException($"lapack-ratios: unknown case set '{what}'; expected geqrf, potrf, ls, single or trail.");
        }
    }

    private static void Measure(string name, double flops, Func<bool, IBenchmarkCase> make, int reps, int threads, double minSeconds)
    {
        IBenchmarkCase ours = make(false), peer = make(true);
        ours.Run();
        peer.Run();
        int calls = 1;
        if (minSeconds > 0)
        {
            double one = Math.Max(Time(ours, threads, 1), 1e-9);
            calls = (int)Math.Clamp(Math.Ceiling(minSeconds / one), 1, 100_000);
            name += string.Create(CultureInfo.InvariantCulture, $" ({calls} calls)");
        }

        var to = new double[reps];
        var tp = new double[reps];
        for (int r = 0; r < reps; r++)
        {
            to[r] = Time(ours, threads, calls) / calls;
            tp[r] = Time(peer, threads, calls) / calls;
        }

        Array.Sort(to);
        Array.Sort(tp);
        double om = to[reps / 2], pm = tp[reps / 2];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {Ms(to[0])} | {Ms(tp[0])} | {tp[0] / to[0]:F2} | {Ms(om)} | {Ms(pm)} | {pm / om:F2} | {flops / to[0] / 1e9:F1} |"));
    }

    private static string Ms(double seconds) => seconds < 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e6:F1} us")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1e3:F2} ms");

    private static double Time(IBenchmarkCase c, int threads, int calls)
    {
        if (threads == 1)
        {
            double t0 = ThreadCpuSeconds();
            for (int i = 0; i < calls; i++)
            {
                c.Run();
            }

            return ThreadCpuSeconds() - t0;
        }

        long s0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            c.Run();
        }

        return Stopwatch.GetElapsedTime(s0).TotalSeconds;
    }

    private static readonly nint s_clockGettime = NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "clock_gettime");

    private static double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTimeId = 3;
        long* ts = stackalloc long[2];
        ((delegate* unmanaged<int, long*, int>)s_clockGettime)(ClockThreadCpuTimeId, ts);
        return ts[0] + (ts[1] * 1e-9);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
