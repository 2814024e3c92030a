using System.Runtime.InteropServices;
using System.Text;

namespace StarNet.LinearAlgebra.Distributed.Mpi;

/// <summary>
/// The system's MPI library, bound at run time with <see cref="NativeLibrary"/> and unmanaged function pointers:
/// no MPI is needed to build or to run single-process. Binds the dozen C functions the communicator uses and
/// resolves the predefined handles by the library's convention (<see cref="MpiFlavor"/>).
/// </summary>
/// <remarks>
/// <para>Handles are passed as <see cref="nint"/> for both conventions. For MPICH, whose handles are C
/// <c>int</c>, this relies on the x86-64 System V and AArch64 calling conventions, which pass an int argument in
/// the low half of a 64-bit register (the callee ignores the upper half); no handle is ever passed by
/// reference or received from MPI.</para>
/// <para>The library is opened with <c>RTLD_NOW | RTLD_GLOBAL</c> where <c>dlopen</c> is available, as Open MPI
/// needs: its plug-ins, loaded later by MPI_Init, resolve symbols of <c>libmpi</c> globally.</para>
/// </remarks>
internal sealed unsafe partial class MpiLibrary
{
    /// <summary>Open MPI's library (ABI version 40 covers Open MPI 3.0 to 5.x).</summary>
    public const string OpenMpiName = "libmpi.so.40";

    /// <summary>MPICH's library (ABI version 12, shared by Intel MPI and MVAPICH as libmpi.so.12).</summary>
    public const string MpichName = "libmpich.so.12";

    /// <summary>MPI_THREAD_SERIALIZED in both mpi.h files (SINGLE 0, FUNNELED 1, SERIALIZED 2, MULTIPLE 3).</summary>
    public const int ThreadSerialized = 2;

    // MPICH's predefined handles, from /usr/include/x86_64-linux-gnu/mpich/mpi.h (MPICH 4.0.2; fixed by its ABI).
    private const int MpichCommWorld = 0x44000000;
    private const int MpichDouble = 0x4c00080b;
    private const int MpichByte = 0x4c00010d;
    private const int MpichSum = 0x58000003;
    private const int MpichMax = 0x58000001;

    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;
    private const int VersionBufferBytes = 8192; // MPI_MAX_LIBRARY_VERSION_STRING: 256 in Open MPI, 8192 in MPICH

    private MpiLibrary(string path, nint handle)
    {
        Path = path;
        Flavor = NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out nint world) ? MpiFlavor.OpenMpi : MpiFlavor.Mpich;
        if (Flavor == MpiFlavor.OpenMpi)
        {
            CommWorld = world;
            Double = NativeLibrary.GetExport(handle, "ompi_mpi_double");
            Byte = NativeLibrary.GetExport(handle, "ompi_mpi_byte");
            Sum = NativeLibrary.GetExport(handle, "ompi_mpi_op_sum");
            Max = NativeLibrary.GetExport(handle, "ompi_mpi_op_max");
        }
        else
        {
            CommWorld = MpichCommWorld;
            Double = MpichDouble;
            Byte = MpichByte;
            Sum = MpichSum;
            Max = MpichMax;
        }

        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)NativeLibrary.GetExport(handle, "MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(handle, "MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(handle, "MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)NativeLibrary.GetExport(handle, "MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)NativeLibrary.GetExport(handle, "MPI_Comm_size");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)NativeLibrary.GetExport(handle, "MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)NativeLibrary.GetExport(handle, "MPI_Bcast");
        Gather = (delegate* unmanaged<void*, int, nint, void*, int, nint, int, nint, int>)NativeLibrary.GetExport(handle, "MPI_Gather");
        Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)NativeLibrary.GetExport(handle, "MPI_Allgather");
        BarrierFn = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(handle, "MPI_Barrier");
        AbortFn = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(handle, "MPI_Abort");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)NativeLibrary.GetExport(handle, "MPI_Get_library_version");
    }

    public string Path { get; }

    public MpiFlavor Flavor { get; }

    public nint CommWorld { get; }

    public nint Double { get; }

    public nint Byte { get; }

    public nint Sum { get; }

    public nint Max { get; }

    /// <summary>int MPI_Init_thread(int *argc, char ***argv, int required, int *provided).</summary>
    public delegate* unmanaged<int*, byte***, int, int*, int> InitThread { get; }

    /// <summary>int MPI_Initialized(int *flag).</summary>
    public delegate* unmanaged<int*, int> Initialized { get; }

    /// <summary>int MPI_Finalized(int *flag).</summary>
    public delegate* unmanaged<int*, int> Finalized { get; }

    /// <summary>int MPI_Finalize(void).</summary>
    public delegate* unmanaged<int> Finalize { get; }

    /// <summary>int MPI_Comm_rank(MPI_Comm comm, int *rank).</summary>
    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    /// <summary>int MPI_Comm_size(MPI_Comm comm, int *size).</summary>
    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    /// <summary>int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype, MPI_Op, MPI_Comm).</summary>
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    /// <summary>int MPI_Bcast(void *buffer, int count, MPI_Datatype, int root, MPI_Comm).</summary>
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    /// <summary>int MPI_Gather(const void *sendbuf, int sendcount, MPI_Datatype, void *recvbuf, int recvcount, MPI_Datatype, int root, MPI_Comm).</summary>
    public delegate* unmanaged<void*, int, nint, void*, int, nint, int, nint, int> Gather { get; }

    /// <summary>int MPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype, void *recvbuf, int recvcount, MPI_Datatype, MPI_Comm).</summary>
    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather { get; }

    /// <summary>int MPI_Barrier(MPI_Comm).</summary>
    public delegate* unmanaged<nint, int> BarrierFn { get; }

    /// <summary>int MPI_Abort(MPI_Comm, int errorcode).</summary>
    public delegate* unmanaged<nint, int, int> AbortFn { get; }

    /// <summary>int MPI_Get_library_version(char *version, int *resultlen).</summary>
    public delegate* unmanaged<byte*, int*, int> GetLibraryVersion { get; }

    /// <summary>
    /// Loads the MPI library: <paramref name="explicitPath"/> when given, else the candidates for the launcher
    /// in use (Open MPI first when launched by Open MPI's mpirun, MPICH first otherwise).
    /// </summary>
    /// <param name="explicitPath">A library path or name to use instead of the search (STARNET_MPI_LIBRARY).</param>
    /// <param name="preferOpenMpi">Whether to try Open MPI's library first.</param>
    /// <returns>The bound library.</returns>
    /// <exception cref="DllNotFoundException">No candidate could be loaded; the message lists what was tried and why.</exception>
    public static MpiLibrary Load(string? explicitPath, bool preferOpenMpi)
    {
        string[] candidates = !string.IsNullOrEmpty(explicitPath) ? [explicitPath]
            : preferOpenMpi ? [OpenMpiName, MpichName, "libmpi.so.12"]
            : [MpichName, "libmpi.so.12", OpenMpiName];
        var errors = new StringBuilder();
        foreach (string candidate in candidates)
        {
            nint handle = Open(candidate, out string? error);
            if (handle != 0)
            {
                try
                {
                    return new MpiLibrary(candidate, handle);
                }
                catch (EntryPointNotFoundException e)
                {
                    errors.Append($"; {candidate}: {e.Message}");
                    continue;
                }
            }

            errors.Append($"; {candidate}: {error}");
        }

        throw new DllNotFoundException(
            $"No MPI library could be loaded (tried {string.Join(", ", candidates)}{errors}). Install MPI (Debian/Ubuntu: apt-get install openmpi-bin, or mpich) or set STARNET_MPI_LIBRARY to the library's path.");
    }

    /// <summary>The library's own version text (MPI_Get_library_version), first line only.</summary>
    public string Version()
    {
        byte* buffer = stackalloc byte[VersionBufferBytes];
        int length = 0;
        if (GetLibraryVersion(buffer, &length) != 0 || length <= 0)
        {
            return Flavor == MpiFlavor.OpenMpi ? "Open MPI" : "MPICH";
        }

        string text = Encoding.UTF8.GetString(buffer, Math.Min(length, VersionBufferBytes)).TrimEnd('\0', '\n', ' ');
        int newline = text.IndexOfAny(['\n', ',']);
        return newline > 0 ? text[..newline].Trim() : text.Trim();
    }

    /// <summary>dlopen(RTLD_NOW | RTLD_GLOBAL) on Linux; <see cref="NativeLibrary.TryLoad(string, out nint)"/> elsewhere or if libc is not found.</summary>
    private static nint Open(string name, out string? error)
    {
        error = null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                nint handle = Dl.Open(name, RtldNow | RtldGlobal);
                if (handle != 0)
                {
                    return handle;
                }

                nint message = Dl.Error();
                error = message == 0 ? "dlopen failed" : Marshal.PtrToStringUTF8(message);
                return 0;
            }
            catch (DllNotFoundException)
            {
                // No libc.so.6 (musl): fall through to the runtime's loader.
            }
            catch (EntryPointNotFoundException)
            {
            }
        }

        if (NativeLibrary.TryLoad(name, out nint loaded))
        {
            return loaded;
        }

        error ??= "not found";
        return 0;
    }

    /// <summary>glibc's dynamic loader entry points (in libc.so.6 since glibc 2.34, also exported by libdl.so.2 before).</summary>
    private static partial class Dl
    {
        [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
        public static partial nint Open(string fileName, int flags);

        [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
        public static partial nint Error();
    }
}
