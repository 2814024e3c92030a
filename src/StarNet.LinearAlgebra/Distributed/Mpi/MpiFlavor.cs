namespace StarNet.LinearAlgebra.Distributed.Mpi;

/// <summary>Which MPI handle convention the loaded library uses.</summary>
public enum MpiFlavor
{
    /// <summary>
    /// Open MPI (<c>libmpi.so.40</c>): handles are pointers, and the predefined ones are the addresses of exported
    /// global objects (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_DOUBLE</c> is
    /// <c>&amp;ompi_mpi_double</c>, <c>MPI_SUM</c> is <c>&amp;ompi_mpi_op_sum</c>).
    /// </summary>
    OpenMpi,

    /// <summary>
    /// MPICH and its ABI family (<c>libmpich.so.12</c>; Intel MPI, MVAPICH): handles are 32-bit integers and the
    /// predefined ones are constants from <c>mpi.h</c> (<c>MPI_COMM_WORLD</c> = 0x44000000, ...).
    /// </summary>
    Mpich,
}
