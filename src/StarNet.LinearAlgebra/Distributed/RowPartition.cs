namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// The block of rows one rank owns when <see cref="Total"/> rows are split over <see cref="Size"/> ranks in
/// contiguous blocks, in rank order: the first <c>Total % Size</c> ranks get one row more. Stacking the blocks
/// of ranks 0, 1, ... gives back the rows in their original order.
/// </summary>
/// <param name="Start">The first row of this rank's block.</param>
/// <param name="Count">The number of rows in it (0 when there are more ranks than rows).</param>
/// <param name="Total">The number of rows over all ranks.</param>
/// <param name="Rank">The rank.</param>
/// <param name="Size">The number of ranks.</param>
public readonly record struct RowPartition(long Start, int Count, long Total, int Rank, int Size)
{
    /// <summary>One past the last row of the block.</summary>
    public long End => Start + Count;

    /// <summary>The block of <paramref name="rank"/> among <paramref name="size"/> ranks for <paramref name="total"/> rows.</summary>
    /// <param name="total">Rows in all, at least 0.</param>
    /// <param name="rank">The rank, 0 to size - 1.</param>
    /// <param name="size">The number of ranks, at least 1.</param>
    /// <returns>The block.</returns>
    public static RowPartition For(long total, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        CollectiveChecks.Root(rank, size);
        long quotient = total / size;
        long remainder = total % size;
        long start = (rank * quotient) + Math.Min(rank, remainder);
        long count = quotient + (rank < remainder ? 1 : 0);
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, $"{total} rows over {size} ranks leaves {count} rows on one rank, more than one rank can index; use more ranks.");
        }

        return new RowPartition(start, (int)count, total, rank, size);
    }

    /// <summary>The block of this communicator's rank.</summary>
    /// <param name="total">Rows in all.</param>
    /// <param name="communicator">The job.</param>
    /// <returns>The block.</returns>
    public static RowPartition For(long total, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return For(total, communicator.Rank, communicator.Size);
    }

    /// <inheritdoc/>
    public override string ToString() => $"rows {Start}..{End - 1} of {Total} (rank {Rank} of {Size})";
}
