namespace StarNet.Data;

/// <summary>An image dataset: a train split, an optional test split, and where it came from.</summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset.</summary>
    /// <param name="name">A short name, usually the folder or file name.</param>
    /// <param name="format">The format it was read from.</param>
    /// <param name="train">The train split.</param>
    /// <param name="test">The test split, or null.</param>
    /// <param name="classNames">Class names indexed by label, or null when unknown.</param>
    /// <exception cref="ArgumentException">The splits have different image shapes.</exception>
    public Dataset(string name, DatasetFormat format, DatasetSplit train, DatasetSplit? test = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(train);
        if (test is not null && test.Shape != train.Shape)
        {
            throw new ArgumentException($"Train images are {train.Shape} but test images are {test.Shape}.", nameof(test));
        }

        Name = name;
        Format = format;
        Train = train;
        Test = test;
        ClassNames = classNames;
    }

    /// <summary>A short name, usually the folder or file name.</summary>
    public string Name { get; }

    /// <summary>The format the dataset was read from.</summary>
    public DatasetFormat Format { get; }

    /// <summary>The train split.</summary>
    public DatasetSplit Train { get; }

    /// <summary>The test split, or null when the source had none.</summary>
    public DatasetSplit? Test { get; }

    /// <summary>Class names indexed by label, or null when the source does not name them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>The shape of one image.</summary>
    public ImageShape Shape => Train.Shape;
}
