using System.Buffers;
using System.Globalization;

namespace StarNet.LinearAlgebra.Distributed.Mpi;

/// <summary>
/// <see cref="ICommunicator"/> on MPI_COMM_WORLD of the system's MPI library (Open MPI or MPICH, bound at run
/// time by <see cref="MpiLibrary"/>). Initialises MPI once per process (MPI_Init_thread, serialized: calls may come
/// from different threads, never at the same time) and finalises it on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Errors keep MPI's default handler (MPI_ERRORS_ARE_FATAL): a failing MPI call stops the job. Return codes are
/// still checked, for libraries configured otherwise. Usually obtained from <see cref="Communicators.FromEnvironment"/>.
/// </remarks>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private static readonly Lock s_gate = new();
    private static MpiCommunicator? s_instance;
    private readonly MpiLibrary _mpi;
    private bool _finalized;

    private MpiCommunicator(MpiLibrary mpi)
    {
        _mpi = mpi;
        int initialized = 0;
        Check(_mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            int provided = 0;
            Check(_mpi.InitThread(null, null, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
        }

        int rank = 0, size = 0;
        Check(_mpi.CommRank(_mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(_mpi.CommSize(_mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        LibraryVersion = _mpi.Version();
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>The handle convention of the loaded library.</summary>
    public MpiFlavor Flavor => _mpi.Flavor;

    /// <summary>The library that was loaded (a name or path as given to the loader).</summary>
    public string LibraryPath => _mpi.Path;

    /// <summary>The library's version text (first line of MPI_Get_library_version).</summary>
    public string LibraryVersion { get; }

    /// <inheritdoc/>
    public string Description => string.Create(CultureInfo.InvariantCulture, $"{LibraryVersion} ({_mpi.Path}), {Size} ranks");

    /// <summary>
    /// Loads MPI and initialises it, or returns the communicator of this process if that was done already
    /// (MPI can be initialised only once per process).
    /// </summary>
    /// <param name="libraryPath">A library to load instead of searching (null: search).</param>
    /// <param name="preferOpenMpi">Whether to try Open MPI's libmpi.so.40 before MPICH's libmpich.so.12.</param>
    /// <returns>The communicator of MPI_COMM_WORLD.</returns>
    /// <exception cref="DllNotFoundException">No MPI library could be loaded.</exception>
    /// <exception cref="MpiException">MPI failed to initialise.</exception>
    public static MpiCommunicator Initialize(string? libraryPath = null, bool preferOpenMpi = true)
    {
        lock (s_gate)
        {
            return s_instance ??= new MpiCommunicator(MpiLibrary.Load(libraryPath, preferOpenMpi));
        }
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => AllReduce(values, _mpi.Sum, "MPI_Allreduce(MPI_SUM)");

    /// <inheritdoc/>
    public void AllReduceMax(Span<double> values) => AllReduce(values, _mpi.Max, "MPI_Allreduce(MPI_MAX)");

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> values, int root)
        where T : unmanaged
    {
        CollectiveChecks.Root(root, Size);
        int bytes = CollectiveChecks.Bytes<T>(values.Length);
        fixed (T* p = values)
        {
            Check(_mpi.Bcast(p, bytes, _mpi.Byte, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc/>
    public void Gather<T>(ReadOnlySpan<T> mine, Span<T> all, int root)
        where T : unmanaged
    {
        CollectiveChecks.Root(root, Size);
        if (Rank == root)
        {
            CollectiveChecks.Receive(all.Length, mine.Length, Size);
        }

        int bytes = CollectiveChecks.Bytes<T>(mine.Length);
        fixed (T* send = mine)
        fixed (T* receive = all)
        {
            Check(_mpi.Gather(send, bytes, _mpi.Byte, receive, bytes, _mpi.Byte, root, _mpi.CommWorld), "MPI_Gather");
        }
    }

    /// <inheritdoc/>
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged
    {
        CollectiveChecks.Receive(all.Length, mine.Length, Size);
        int bytes = CollectiveChecks.Bytes<T>(mine.Length);
        fixed (T* send = mine)
        fixed (T* receive = all)
        {
            Check(_mpi.Allgather(send, bytes, _mpi.Byte, receive, bytes, _mpi.Byte, _mpi.CommWorld), "MPI_Allgather");
        }
    }

    /// <inheritdoc/>
    public void Barrier() => Check(_mpi.BarrierFn(_mpi.CommWorld), "MPI_Barrier");

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi.AbortFn(_mpi.CommWorld, exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Finalises MPI (once; MPI cannot be initialised again in this process).</summary>
    public void Dispose()
    {
        lock (s_gate)
        {
            if (_finalized)
            {
                return;
            }

            int finalized = 0;
            _mpi.Finalized(&finalized);
            if (finalized == 0)
            {
                Check(_mpi.Finalize(), "MPI_Finalize");
            }

            _finalized = true;
        }
    }

    private static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new MpiException(call, code);
        }
    }

    private void AllReduce(Span<double> values, nint op, string call)
    {
        int count = values.Length;
        CollectiveChecks.Bytes<double>(count);
        double[] send = ArrayPool<double>.Shared.Rent(Math.Max(count, 1));
        try
        {
            values.CopyTo(send);
            fixed (double* s = send)
            fixed (double* r = values)
            {
                Check(_mpi.Allreduce(s, r, count, _mpi.Double, op, _mpi.CommWorld), call);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(send);
        }
    }
}
