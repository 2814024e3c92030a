namespace StarNet.IO;

/// <summary>
/// Writes a whole file so that readers see either the old content or the complete new content, never a
/// partial file: the bytes go to a temporary file in the same folder, are flushed to disk, and the temporary
/// file is then renamed over the target. If anything throws, the temporary file is deleted and an existing
/// target is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>The ending of the temporary files this class creates beside the target.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Creates or replaces <paramref name="path"/> with the bytes that <paramref name="write"/> writes to the
    /// stream it is given.
    /// </summary>
    /// <param name="path">The file to create or replace. Its folder must exist.</param>
    /// <param name="write">Writes the complete content. The stream must not be disposed by the callback.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="IOException">The temporary file cannot be written or renamed.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);

        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        string folder = Path.GetDirectoryName(fullPath)!;
        string temporary = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(
                       temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
            // Best effort: the original exception is the one that matters.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
