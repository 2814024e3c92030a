namespace StarNet.Data;

/// <summary>Builds the exceptions the dataset readers throw for malformed files.</summary>
internal static class DataErrors
{
    /// <summary>An <see cref="InvalidDataException"/> whose message starts with the file's path.</summary>
    /// <param name="path">The malformed file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static InvalidDataException Malformed(string path, string problem, Exception? inner = null) =>
        new($"{path}: {problem}", inner);

    /// <summary>The number of elements, or an error when it overflows or exceeds the largest array.</summary>
    /// <param name="path">The file, for the message.</param>
    /// <param name="count">The number of items.</param>
    /// <param name="itemSize">The number of elements per item.</param>
    /// <param name="what">What is counted, for the message.</param>
    /// <returns><c>count * itemSize</c> as an <see cref="int"/>.</returns>
    public static int CheckedElements(string path, long count, long itemSize, string what)
    {
        if (count < 0 || itemSize < 0 || (itemSize != 0 && count > Array.MaxLength / itemSize))
        {
            throw Malformed(path, $"{count} {what} of {itemSize} values each do not fit in one array (at most {Array.MaxLength} values)");
        }

        return (int)(count * itemSize);
    }
}
