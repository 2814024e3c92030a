using System.Globalization;
using StarNet.LinearAlgebra.Distributed.Mpi;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>Chooses the communicator for this process from how it was launched.</summary>
public static class Communicators
{
    /// <summary>Environment variable that names the MPI library to load instead of searching for one.</summary>
    public const string LibraryVariable = "STARNET_MPI_LIBRARY";

    /// <summary>
    /// The launcher's view of this process: the rank and size an MPI launcher put in the environment (Open MPI's
    /// <c>OMPI_COMM_WORLD_RANK/SIZE</c>, or the PMI <c>PMI_RANK/PMI_SIZE</c> of MPICH's Hydra and Slurm), or
    /// null when no launcher started it.
    /// </summary>
    /// <returns>The launch, or null.</returns>
    public static MpiLaunch? DetectLaunch()
    {
        if (ReadInt("OMPI_COMM_WORLD_SIZE") is { } ompiSize)
        {
            return new MpiLaunch(ReadInt("OMPI_COMM_WORLD_RANK") ?? 0, ompiSize, "Open MPI");
        }

        if (ReadInt("PMI_SIZE") is { } pmiSize)
        {
            return new MpiLaunch(ReadInt("PMI_RANK") ?? 0, pmiSize, "PMI (MPICH Hydra or Slurm)");
        }

        return null;
    }

    /// <summary>
    /// The communicator for this process: MPI when an MPI launcher started it (<c>mpirun -np N ...</c>), the
    /// single-process communicator otherwise. MPI is initialised here.
    /// </summary>
    /// <returns>The communicator; dispose it at the end of the program (finalises MPI).</returns>
    /// <exception cref="InvalidOperationException">
    /// The process was launched as one of several ranks but no MPI library could be loaded: running on would make
    /// every rank train alone on all the data and write the same files, so this is an error.
    /// </exception>
    public static ICommunicator FromEnvironment()
    {
        MpiLaunch? launch = DetectLaunch();
        if (launch is null)
        {
            return SingleProcessCommunicator.Instance;
        }

        try
        {
            return MpiCommunicator.Initialize(Environment.GetEnvironmentVariable(LibraryVariable), preferOpenMpi: launch.Launcher == "Open MPI");
        }
        catch (DllNotFoundException) when (launch.Size == 1)
        {
            // One rank: running without MPI gives the same result.
            return SingleProcessCommunicator.Instance;
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"This process was started by {launch.Launcher} as rank {launch.Rank} of {launch.Size}, but MPI could not be loaded: {e.Message}"),
                e);
        }
    }

    private static int? ReadInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
}

/// <summary>What an MPI launcher told this process.</summary>
/// <param name="Rank">The rank from the environment.</param>
/// <param name="Size">The number of ranks from the environment.</param>
/// <param name="Launcher">Which launcher's variables were found.</param>
public sealed record MpiLaunch(int Rank, int Size, string Launcher);
