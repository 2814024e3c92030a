namespace StarNet.Data;

/// <summary>Options for <see cref="DatasetLoader"/>.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>The default options: everything is loaded.</summary>
    public static DatasetLoadOptions Default { get; } = new();

    /// <summary>
    /// The largest number of images to load from each split; the first ones are taken.
    /// Null loads them all. Only the kept images are allocated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MaxSamples
    {
        get;
        init
        {
            if (value is { } max)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(MaxSamples));
            }

            field = value;
        }
    }

    /// <summary>
    /// Whether IDX images are stored transposed (column by column) and must be turned back,
    /// as in EMNIST. Null decides by file name: files whose name starts with <c>emnist</c> are transposed.
    /// </summary>
    public bool? TransposeIdxImages { get; init; }

    /// <summary>
    /// Load only this shard of each split (for a process of a distributed job: shard = rank of size): of the first
    /// <see cref="MaxSamples"/> images, one contiguous balanced block. IDX files are read from the shard's first
    /// image on (a seek in a raw file, a streamed skip in a gzip one), so a process keeps only its shard; the other
    /// formats are loaded up to the sample limit and then cut. Null (default) loads the whole split.
    /// </summary>
    public DatasetShard? Shard { get; init; }

    /// <summary>The effective shard (<see cref="DatasetShard.Whole"/> when unset).</summary>
    internal DatasetShard EffectiveShard => Shard ?? DatasetShard.Whole;

    /// <summary>The effective sample limit (<see cref="int.MaxValue"/> when unset).</summary>
    internal int Limit => MaxSamples is { } max ? max : int.MaxValue;
}
