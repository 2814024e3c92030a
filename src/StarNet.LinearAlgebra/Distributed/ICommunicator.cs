namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// The few collective operations that distributed least squares and distributed training need: who am I, how
/// many are we, sum (or maximum) of a small vector over all ranks, broadcast, and gather of small fixed-size
/// blocks. Every rank must call the same collectives in the same order with the same sizes, as in MPI.
/// </summary>
/// <remarks>
/// <para>Implementations: <see cref="SingleProcessCommunicator"/> (the default: one rank, every operation is a
/// copy or nothing), <see cref="InProcessCommunicatorGroup"/> (several simulated ranks on threads of one process,
/// for tests; sums in rank order) and <see cref="Mpi.MpiCommunicator"/> (the system's Open MPI or MPICH on
/// MPI_COMM_WORLD). <see cref="Communicators.FromEnvironment"/> picks MPI when the process was started by
/// <c>mpirun</c> and the single-process one otherwise.</para>
/// <para>Sizes are in elements of the element type for the generic operations, which move raw bytes:
/// ranks must agree on the element type. None of these operations is meant for bulk data: a collective moves at
/// most <see cref="int.MaxValue"/> bytes per rank.</para>
/// </remarks>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>The number of ranks in the job.</summary>
    int Size { get; }

    /// <summary>A short description for logs, such as "Open MPI v4.1.4, 2 ranks".</summary>
    string Description { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    /// <param name="values">This rank's contribution in, the sum out; the same length on every rank.</param>
    void AllReduceSum(Span<double> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise maximum over all ranks.</summary>
    /// <param name="values">This rank's contribution in, the maximum out; the same length on every rank.</param>
    void AllReduceMax(Span<double> values);

    /// <summary>Copies <paramref name="values"/> of rank <paramref name="root"/> to every other rank.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="values">The data on the root; receives it elsewhere. The same length on every rank.</param>
    /// <param name="root">The sending rank.</param>
    void Broadcast<T>(Span<T> values, int root)
        where T : unmanaged;

    /// <summary>
    /// Collects one block of the same length from every rank on <paramref name="root"/>, in rank order:
    /// <c>all[r * mine.Length ..]</c> receives rank r's block.
    /// </summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="mine">This rank's block; the same length on every rank.</param>
    /// <param name="all">On the root, <see cref="Size"/> * mine.Length elements; ignored (may be empty) elsewhere.</param>
    /// <param name="root">The receiving rank.</param>
    void Gather<T>(ReadOnlySpan<T> mine, Span<T> all, int root)
        where T : unmanaged;

    /// <summary>Like <see cref="Gather{T}"/>, but every rank receives all blocks.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="mine">This rank's block; the same length on every rank.</param>
    /// <param name="all">Receives <see cref="Size"/> * mine.Length elements, rank r's block at r * mine.Length.</param>
    void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged;

    /// <summary>Returns only when every rank has called it.</summary>
    void Barrier();

    /// <summary>
    /// Stops the whole job with <paramref name="exitCode"/> (MPI_Abort): for a rank that fails where the others
    /// may be waiting in a collective. Does not return normally: MPI and the single-process communicator end the
    /// process; the in-process group makes every rank's next (or current) collective throw
    /// <see cref="CommunicatorAbortedException"/> and throws it here too.
    /// </summary>
    /// <param name="exitCode">The exit code of the job.</param>
    void Abort(int exitCode);
}
