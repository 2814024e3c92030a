using System.Runtime.ExceptionServices;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// Simulates a job of several ranks inside one process, one dedicated thread per rank, for tests of distributed
/// algorithms without MPI. Collectives meet at a barrier and exchange copies of each rank's data; reductions add
/// the contributions in rank order (0, 1, ..., K-1) on every rank, so results are reproducible and identical on
/// all ranks.
/// </summary>
/// <remarks>
/// When a rank's body throws, the group is aborted: every rank then waiting in (or later entering) a collective
/// gets a <see cref="CommunicatorAbortedException"/>, and <see cref="Run{TResult}"/> rethrows the first original
/// failure (the lowest rank's) once all threads have ended.
/// </remarks>
public static class InProcessCommunicatorGroup
{
    private const int RankStackBytes = 16 << 20;

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> simulated ranks and waits for all of them.</summary>
    /// <param name="size">The number of ranks, at least 1.</param>
    /// <param name="body">The work of one rank, given its communicator.</param>
    public static void Run(int size, Action<ICommunicator> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(size, communicator =>
        {
            body(communicator);
            return 0;
        });
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> simulated ranks and returns each rank's result.</summary>
    /// <typeparam name="TResult">What a rank returns.</typeparam>
    /// <param name="size">The number of ranks, at least 1.</param>
    /// <param name="body">The work of one rank, given its communicator.</param>
    /// <returns>The results indexed by rank.</returns>
    public static TResult[] Run<TResult>(int size, Func<ICommunicator, TResult> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentNullException.ThrowIfNull(body);
        var exchange = new Exchange(size);
        var results = new TResult[size];
        var failures = new Exception?[size];
        var threads = new Thread[size];
        for (int r = 0; r < size; r++)
        {
            int rank = r;
            threads[r] = new Thread(
                () =>
                {
                    using var communicator = new SimulatedRank(exchange, rank);
                    try
                    {
                        results[rank] = body(communicator);
                    }
                    catch (Exception e)
                    {
                        failures[rank] = e;
                        exchange.Abort($"rank {rank} failed: {e.Message}", e);
                    }
                },
                RankStackBytes)
            {
                IsBackground = true,
                Name = $"simulated rank {rank}",
            };
            threads[r].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Exception? first = failures.FirstOrDefault(e => e is not null and not CommunicatorAbortedException) ?? failures.FirstOrDefault(e => e is not null);
        if (first is not null)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        return results;
    }

    /// <summary>The meeting point of the ranks: one slot per rank and a barrier that an abort cancels.</summary>
    private sealed class Exchange(int size)
    {
        private readonly Barrier _barrier = new(size);
        private readonly CancellationTokenSource _abort = new();
        private string? _abortReason;
        private Exception? _abortCause;

        public int Size => size;

        public object?[] Slots { get; } = new object?[size];

        public string?[] Operations { get; } = new string?[size];

        public void Abort(string reason, Exception? cause)
        {
            lock (_abort)
            {
                if (_abortReason is not null)
                {
                    return;
                }

                _abortReason = reason;
                _abortCause = cause;
            }

            _abort.Cancel();
        }

        /// <summary>Waits for every rank; throws when the group was aborted.</summary>
        public void Meet()
        {
            ThrowIfAborted();
            try
            {
                _barrier.SignalAndWait(_abort.Token);
            }
            catch (OperationCanceledException)
            {
                ThrowIfAborted();
                throw;
            }
        }

        public void ThrowIfAborted()
        {
            if (_abort.IsCancellationRequested)
            {
                throw _abortCause is null
                    ? new CommunicatorAbortedException($"The simulated job was aborted: {_abortReason}")
                    : new CommunicatorAbortedException($"The simulated job was aborted: {_abortReason}", _abortCause);
            }
        }
    }

    /// <summary>One simulated rank's communicator.</summary>
    private sealed class SimulatedRank(Exchange exchange, int rank) : ICommunicator
    {
        public int Rank => rank;

        public int Size => exchange.Size;

        public string Description => $"in-process group, {exchange.Size} ranks";

        public void AllReduceSum(Span<double> values) => Reduce(values, "AllReduceSum", static (acc, x) => acc + x);

        public void AllReduceMax(Span<double> values) => Reduce(values, "AllReduceMax", Math.Max);

        public void Broadcast<T>(Span<T> values, int root)
            where T : unmanaged
        {
            CollectiveChecks.Root(root, Size);
            T[] deposit = values.ToArray();
            T[] received = deposit;
            Collective(deposit, "Broadcast", values.Length, slots => received = (T[])slots[root]!);
            received.CopyTo(values);
        }

        public void Gather<T>(ReadOnlySpan<T> mine, Span<T> all, int root)
            where T : unmanaged
        {
            CollectiveChecks.Root(root, Size);
            if (rank == root)
            {
                CollectiveChecks.Receive(all.Length, mine.Length, Size);
            }

            int length = mine.Length;
            T[] deposit = mine.ToArray();
            T[]? received = rank == root ? new T[length * Size] : null;
            Collective(deposit, "Gather", length, slots =>
            {
                if (received is not null)
                {
                    for (int r = 0; r < slots.Length; r++)
                    {
                        ((T[])slots[r]!).CopyTo(received, r * length);
                    }
                }
            });
            received?.CopyTo(all);
        }

        public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all)
            where T : unmanaged
        {
            CollectiveChecks.Receive(all.Length, mine.Length, Size);
            int length = mine.Length;
            T[] deposit = mine.ToArray();
            var received = new T[length * Size];
            Collective(deposit, "AllGather", length, slots =>
            {
                for (int r = 0; r < slots.Length; r++)
                {
                    ((T[])slots[r]!).CopyTo(received, r * length);
                }
            });
            received.CopyTo(all);
        }

        public void Barrier() => Collective(null, "Barrier", 0, static _ => { });

        public void Abort(int exitCode)
        {
            exchange.Abort($"rank {rank} called Abort({exitCode})", null);
            exchange.ThrowIfAborted();
        }

        public void Dispose()
        {
        }

        private void Reduce(Span<double> values, string operation, Func<double, double, double> combine)
        {
            double[] deposit = values.ToArray();
            var result = new double[values.Length];
            Collective(deposit, operation, values.Length, slots =>
            {
                ((double[])slots[0]!).CopyTo(result, 0);
                for (int r = 1; r < slots.Length; r++)
                {
                    double[] contribution = (double[])slots[r]!;
                    for (int i = 0; i < result.Length; i++)
                    {
                        result[i] = combine(result[i], contribution[i]);
                    }
                }
            });
            result.CopyTo(values);
        }

        /// <summary>
        /// Deposits this rank's data, meets the others, lets <paramref name="read"/> look at every rank's deposit,
        /// and meets again so that no slot is overwritten while another rank still reads it. Checks that every rank
        /// entered the same collective with the same length, as MPI requires (and cannot always detect).
        /// </summary>
        private void Collective(object? deposit, string operation, int length, Action<object?[]> read)
        {
            exchange.Slots[rank] = deposit;
            exchange.Operations[rank] = $"{operation}({length})";
            exchange.Meet();
            string?[] operations = exchange.Operations;
            for (int r = 0; r < operations.Length; r++)
            {
                if (operations[r] != operations[rank])
                {
                    var mismatch = new InvalidOperationException(
                        $"Collective mismatch: rank {rank} called {operations[rank]} while rank {r} called {operations[r]}; every rank must call the same collectives in the same order with the same sizes.");
                    exchange.Abort(mismatch.Message, mismatch);
                    throw mismatch;
                }
            }

            read(exchange.Slots);
            exchange.Meet();
        }
    }
}
