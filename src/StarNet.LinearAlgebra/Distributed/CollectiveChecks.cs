using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>Argument checks shared by the communicators, with messages that name the collective's contract.</summary>
internal static class CollectiveChecks
{
    /// <summary>Fails unless <paramref name="root"/> is a rank of a job of <paramref name="size"/>.</summary>
    public static void Root(int root, int size)
    {
        if ((uint)root >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"The root must be a rank from 0 to {size - 1}.");
        }
    }

    /// <summary>Fails unless a receive buffer holds one block per rank.</summary>
    public static void Receive(int allLength, int blockLength, int size)
    {
        if (allLength != (long)blockLength * size)
        {
            throw new ArgumentException($"The receive buffer holds {allLength} elements, but {size} ranks x {blockLength} elements are gathered.", "all");
        }
    }

    /// <summary>The byte count of <paramref name="count"/> elements of <typeparamref name="T"/>, which must fit an int (MPI counts).</summary>
    public static int Bytes<T>(int count)
        where T : unmanaged
    {
        long bytes = (long)count * Unsafe.SizeOf<T>();
        if (bytes > int.MaxValue)
        {
            throw new ArgumentException($"A collective moves at most {int.MaxValue} bytes per rank, but {count} elements of {typeof(T).Name} are {bytes} bytes; collectives are for small blocks.");
        }

        return (int)bytes;
    }
}
