using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Data;

/// <summary>
/// Which part of a split one process loads when a dataset is spread over several processes: shard
/// <see cref="Index"/> of <see cref="Count"/> contiguous, balanced blocks of images, in order (the blocks of
/// <see cref="RowPartition"/>). Shard 0 of 1 is the whole split.
/// </summary>
/// <param name="Index">This shard, 0 to Count - 1 (an MPI rank).</param>
/// <param name="Count">The number of shards, at least 1 (the number of ranks).</param>
public readonly record struct DatasetShard(int Index, int Count)
{
    /// <summary>The whole split: shard 0 of 1.</summary>
    public static DatasetShard Whole { get; } = new(0, 1);

    /// <summary>Whether this is the whole split.</summary>
    public bool IsWhole => Count == 1;

    /// <summary>This shard's images when the split has <paramref name="total"/> of them (after any sample limit).</summary>
    /// <param name="total">Images in the split.</param>
    /// <returns>The first image and the number of images of this shard.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The shard is not valid.</exception>
    public RowPartition Rows(long total) => RowPartition.For(total, Index, Count);

    /// <inheritdoc/>
    public override string ToString() => $"shard {Index} of {Count}";
}
