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

    /// <summary>The effective sample limit (<see cref="int.MaxValue"/> when unset).</summary>
    internal int Limit => MaxSamples is { } max ? max : int.MaxValue;
}
