using System.Globalization;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.LinearAlgebra.Distributed.Mpi;

// Scenarios run by tests/StarNet.LinearAlgebra.Tests/Distributed/MpiIntegrationTests.cs under mpirun:
//   collectives         every collective of the MPI communicator against values each rank can predict
//   solve <ne|tsqr>     the distributed least-squares solve against the single-process solve on rank 0
//   fail                rank 1 fails in local work; every rank must report it and exit 1
//   abort               rank 1 calls Abort(3) while rank 0 waits in a barrier; the job must end
//   epochs DATA SAMPLES EPOCHS SOLVER THREADS
//                       trains ff:128,256 on this rank's shard and prints, per layer, the time per epoch and the
//                       time spent in collectives (the measurements of docs/distributed.md)
//   collective-times    the bare cost of the weight solve's collectives at the MNIST layer sizes (no waiting)
//   compare A B         (one process) the largest differences between two model files, tensor by tensor
using ICommunicator communicator = Communicators.FromEnvironment();
string scenario = args.Length > 0 ? args[0] : "collectives";
string prefix = $"rank {communicator.Rank}/{communicator.Size}";
try
{
    switch (scenario)
    {
        case "collectives":
            Collectives(communicator);
            break;
        case "solve":
            Solve(communicator, args.Length > 1 && args[1] == "tsqr" ? DistributedSolveMethod.Tsqr : DistributedSolveMethod.NormalEquations);
            break;
        case "fail":
            RankFailures.Run(communicator, () =>
            {
                if (communicator.Rank == 1)
                {
                    throw new FileNotFoundException("shard file missing on this node");
                }
            });
            Console.WriteLine($"{prefix}: no failure seen");
            return 0;
        case "epochs":
            EpochTimes.Run(communicator, args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4], int.Parse(args[5], CultureInfo.InvariantCulture));
            return 0;
        case "collective-times":
            EpochTimes.Collectives(communicator);
            return 0;
        case "compare":
            EpochTimes.Compare(args[1], args[2]);
            return 0;
        case "abort":
            if (communicator.Rank == 1)
            {
                Console.Error.WriteLine($"{prefix}: aborting with 3");
                communicator.Abort(3);
            }

            communicator.Barrier();
            Console.WriteLine($"{prefix}: barrier passed");
            return 0;
        default:
            Console.Error.WriteLine($"unknown scenario {scenario}");
            return 2;
    }

    Console.WriteLine($"{prefix}: ok");
    return 0;
}
catch (RankFailedException e)
{
    // Every rank knows: report, then meet once more so that no rank's exit kills another before it has spoken.
    Console.Error.WriteLine($"{prefix}: error: {e.Message}");
    Console.Error.Flush();
    communicator.Barrier();
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"{prefix}: error: {e.Message}");
    return 1;
}

static void Collectives(ICommunicator c)
{
    int rank = c.Rank, size = c.Size;
    string flavor = c is MpiCommunicator mpi ? $"{mpi.Flavor} via {mpi.LibraryPath}" : c.Description;
    Console.WriteLine($"rank {rank}/{size}: {flavor}: {c.Description}");
    Expect(size > 1, "Size > 1 under mpirun");

    double[] sum = [rank + 1, 0.5 * rank, -rank];
    c.AllReduceSum(sum);
    Expect(sum[0] == size * (size + 1) / 2.0 && sum[1] == 0.25 * size * (size - 1) && sum[2] == -size * (size - 1) / 2.0, $"AllReduceSum gave {string.Join(", ", sum)}");

    double[] max = [rank, -rank];
    c.AllReduceMax(max);
    Expect(max[0] == size - 1 && max[1] == 0, $"AllReduceMax gave {string.Join(", ", max)}");

    int[] broadcast = rank == size - 1 ? [7, 8, 9] : [0, 0, 0];
    c.Broadcast<int>(broadcast, size - 1);
    Expect(broadcast.SequenceEqual([7, 8, 9]), "Broadcast from the last rank");

    long[] mine = [rank * 10L, (rank * 10L) + 1];
    long[] gathered = rank == 0 ? new long[2 * size] : [];
    c.Gather<long>(mine, gathered, 0);
    Expect(rank != 0 || gathered.SequenceEqual(Enumerable.Range(0, size).SelectMany(r => new[] { r * 10L, (r * 10L) + 1 })), "Gather on rank 0");

    var all = new float[2 * size];
    c.AllGather<float>([rank, -rank], all);
    Expect(all.SequenceEqual(Enumerable.Range(0, size).SelectMany(r => new[] { (float)r, -(float)r })), "AllGather");
    c.Barrier();
}

static void Solve(ICommunicator c, DistributedSolveMethod method)
{
    const int rows = 2000, n = 24, k = 9;
    (Matrix<double> a, Matrix<double> b) = Problem(rows, n, k);
    RowPartition part = RowPartition.For(rows, c);
    var x = new Matrix<double>(n, k);
    DistributedLeastSquares.Solve(c, a.AsReadOnlySpan().Slice((int)part.Start, 0, part.Count, n), b.AsReadOnlySpan().Slice((int)part.Start, 0, part.Count, k), x.AsSpan(), method);

    // Every rank checks against the single-process QR solve of all rows (each can, the problem is small).
    var reference = new Matrix<double>(n, k);
    new LeastSquaresSolver<double>(a.AsReadOnlySpan()).Solve(b.AsReadOnlySpan(), reference.AsSpan());
    double worst = 0, scale = 0;
    for (int i = 0; i < n; i++)
    {
        for (int j = 0; j < k; j++)
        {
            worst = Math.Max(worst, Math.Abs(x[i, j] - reference[i, j]));
            scale = Math.Max(scale, Math.Abs(reference[i, j]));
        }
    }

    double relative = worst / scale;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {c.Rank}/{c.Size}: {method} on {part}: max |X - X_single| / max |X_single| = {relative:E2}"));
    Expect(relative < 1e-10, "distributed solve equals the single-process solve to rounding");
    double[] digest = [x.Span.ToArray().Sum()];
    double[] spread = [digest[0], -digest[0]];
    c.AllReduceMax(spread);
    Expect(spread[0] == -spread[1], "every rank holds the same X");
}

static (Matrix<double> A, Matrix<double> B) Problem(int rows, int n, int k)
{
    var random = new Random(20240611);
    var a = new Matrix<double>(rows, n);
    var b = new Matrix<double>(rows, k);
    for (int i = 0; i < rows; i++)
    {
        for (int j = 0; j < n; j++)
        {
            a[i, j] = random.NextDouble() - 0.5;
        }

        for (int j = 0; j < k; j++)
        {
            b[i, j] = random.NextDouble();
        }
    }

    return (a, b);
}

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"check failed: {what}");
    }
}
