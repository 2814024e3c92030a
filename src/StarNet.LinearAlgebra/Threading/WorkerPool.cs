using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra.Threading;

/// <summary>
/// A small fixed pool of dedicated worker threads for fork-join kernels. A job is a static function pointer and
/// a pointer to a context the caller keeps alive on its stack, so running a job allocates nothing. Only one job
/// runs at a time; a caller that finds the pool busy (another thread's job, or a nested call from inside a job)
/// runs its work on its own thread instead, which gives the same results because every kernel built on this
/// pool partitions work so that each output element is computed by exactly one thread in a fixed order.
/// </summary>
internal sealed unsafe class WorkerPool
{
    private static WorkerPool? s_shared;
    private readonly Worker[] _workers;
    private int _busy;
    private int _remaining;
    private delegate*<void*, int, int, void> _job;
    private void* _context;
    private int _threads;

    private WorkerPool(int workerCount)
    {
        _workers = new Worker[workerCount];
        for (int i = 0; i < workerCount; i++)
        {
            _workers[i] = new Worker(this, i + 1);
        }
    }

    /// <summary>The process-wide pool with one worker fewer than the machine has logical processors.</summary>
    public static WorkerPool Shared
    {
        get
        {
            if (s_shared is null)
            {
                Interlocked.CompareExchange(ref s_shared, new WorkerPool(Math.Max(0, Environment.ProcessorCount - 1)), null);
            }

            return s_shared;
        }
    }

    /// <summary>The largest thread count a job can use (workers plus the calling thread).</summary>
    public int MaxThreads => _workers.Length + 1;

    /// <summary>
    /// Runs <paramref name="job"/>(context, threadIndex, threadCount) on <paramref name="threads"/> threads (the caller is
    /// thread 0) and returns when all have finished. Falls back to one thread when the pool is busy.
    /// </summary>
    /// <param name="threads">Requested thread count.</param>
    /// <param name="job">The work; must not throw.</param>
    /// <param name="context">The job's context, kept alive by the caller for the duration of the call.</param>
    /// <returns>The thread count actually used.</returns>
    public int Run(int threads, delegate*<void*, int, int, void> job, void* context)
    {
        threads = Math.Clamp(threads, 1, MaxThreads);
        if (threads == 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            job(context, 0, 1);
            return 1;
        }

        try
        {
            _job = job;
            _context = context;
            _threads = threads;
            Volatile.Write(ref _remaining, threads - 1);
            for (int i = 0; i < threads - 1; i++)
            {
                _workers[i].Signal();
            }

            job(context, 0, threads);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _remaining) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            return threads;
        }
        finally
        {
            _job = null;
            _context = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Execute(int index)
    {
        _job(_context, index, _threads);
        Interlocked.Decrement(ref _remaining);
    }

    private sealed class Worker
    {
        /// <summary>
        /// How long an idle worker polls for its next job before it blocks, in Stopwatch ticks (about 100 us). The
        /// kernels dispatch in bursts (a leaf factorization runs one job per sweep, tens of them a few microseconds
        /// apart): a blocked worker takes tens of microseconds to be woken on a virtual machine, which on a 0.1 ms
        /// sweep split in two is a third of the time; a polling one starts at once.
        /// </summary>
        private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;

        private readonly WorkerPool _pool;
        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private int _pending;
        private int _sleeping;

        public Worker(WorkerPool pool, int index)
        {
            _pool = pool;
            _index = index;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"StarNet.LinearAlgebra worker {index}" };
            thread.Start();
        }

        /// <summary>
        /// Hands the worker one job. The increment and the read of the sleeping flag are ordered by the interlocked
        /// operation, and the worker sets the flag before it reads the count again, so a worker about to block
        /// either sees the job or is released.
        /// </summary>
        public void Signal()
        {
            Interlocked.Increment(ref _pending);
            if (Volatile.Read(ref _sleeping) != 0)
            {
                _wake.Release();
            }
        }

        private void Loop()
        {
            while (true)
            {
                if (Volatile.Read(ref _pending) == 0)
                {
                    long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                    while (Volatile.Read(ref _pending) == 0 && System.Diagnostics.Stopwatch.GetTimestamp() < until)
                    {
                        Thread.SpinWait(16);
                    }
                }

                if (Volatile.Read(ref _pending) == 0)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _pending) == 0)
                    {
                        _wake.Wait();
                    }

                    Volatile.Write(ref _sleeping, 0);
                    continue;
                }

                Interlocked.Decrement(ref _pending);
                _pool.Execute(_index);
            }
        }
    }
}

/// <summary>A reusable spinning barrier for the threads of one <see cref="WorkerPool"/> job.</summary>
internal struct SpinBarrier
{
    private int _arrived;
    private int _generation;

    /// <summary>Blocks until <paramref name="threads"/> threads have called this method for the current phase.</summary>
    /// <param name="threads">The number of participating threads.</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SignalAndWait(int threads)
    {
        if (threads == 1)
        {
            return;
        }

        int generation = Volatile.Read(ref _generation);
        if (Interlocked.Increment(ref _arrived) == threads)
        {
            Volatile.Write(ref _arrived, 0);
            Interlocked.Increment(ref _generation);
            return;
        }

        var spin = default(SpinWait);
        while (Volatile.Read(ref _generation) == generation)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
