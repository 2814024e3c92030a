namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// The communicator of a job of one process: rank 0 of 1. Reductions leave their input as it is, gathers copy,
/// and <see cref="Abort"/> ends the process. The default wherever no communicator is given.
/// </summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The shared instance (it has no state).</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public string Description => "single process";

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values)
    {
    }

    /// <inheritdoc/>
    public void AllReduceMax(Span<double> values)
    {
    }

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> values, int root)
        where T : unmanaged => CollectiveChecks.Root(root, 1);

    /// <inheritdoc/>
    public void Gather<T>(ReadOnlySpan<T> mine, Span<T> all, int root)
        where T : unmanaged
    {
        CollectiveChecks.Root(root, 1);
        CollectiveChecks.Receive(all.Length, mine.Length, 1);
        mine.CopyTo(all);
    }

    /// <inheritdoc/>
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged => Gather(mine, all, 0);

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
