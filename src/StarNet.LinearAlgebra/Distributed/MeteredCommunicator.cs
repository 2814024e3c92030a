using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// Wraps a communicator and counts what its collectives cost on this rank: calls, bytes sent into them, and wall
/// time spent inside them. The time includes waiting for slower ranks, so it is the time this rank did not
/// compute, which is what a communication share per epoch should show.
/// </summary>
/// <param name="inner">The communicator that does the work (not disposed with this one).</param>
public sealed class MeteredCommunicator(ICommunicator inner) : ICommunicator
{
    private long _ticks;

    /// <summary>The number of collectives called.</summary>
    public long Calls { get; private set; }

    /// <summary>The bytes this rank contributed to the collectives (a broadcast counts on every rank).</summary>
    public long Bytes { get; private set; }

    /// <summary>The wall time spent inside collectives.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    /// <inheritdoc/>
    public int Rank => inner.Rank;

    /// <inheritdoc/>
    public int Size => inner.Size;

    /// <inheritdoc/>
    public string Description => inner.Description;

    /// <summary>Sets the counters back to zero.</summary>
    public void Reset()
    {
        Calls = 0;
        Bytes = 0;
        _ticks = 0;
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values)
    {
        long start = Begin(values.Length * sizeof(double));
        inner.AllReduceSum(values);
        End(start);
    }

    /// <inheritdoc/>
    public void AllReduceMax(Span<double> values)
    {
        long start = Begin(values.Length * sizeof(double));
        inner.AllReduceMax(values);
        End(start);
    }

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> values, int root)
        where T : unmanaged
    {
        long start = Begin((long)values.Length * Unsafe.SizeOf<T>());
        inner.Broadcast(values, root);
        End(start);
    }

    /// <inheritdoc/>
    public void Gather<T>(ReadOnlySpan<T> mine, Span<T> all, int root)
        where T : unmanaged
    {
        long start = Begin((long)mine.Length * Unsafe.SizeOf<T>());
        inner.Gather(mine, all, root);
        End(start);
    }

    /// <inheritdoc/>
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged
    {
        long start = Begin((long)mine.Length * Unsafe.SizeOf<T>());
        inner.AllGather(mine, all);
        End(start);
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        long start = Begin(0);
        inner.Barrier();
        End(start);
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => inner.Abort(exitCode);

    /// <summary>Does nothing: the wrapped communicator belongs to whoever created it.</summary>
    public void Dispose()
    {
    }

    private long Begin(long bytes)
    {
        Calls++;
        Bytes += bytes;
        return Stopwatch.GetTimestamp();
    }

    private void End(long start) => _ticks += Stopwatch.GetTimestamp() - start;
}
