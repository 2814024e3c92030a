namespace StarNet.Data;

/// <summary>
/// Writes a file atomically: content goes to a temporary file in the destination folder, and
/// <see cref="Commit"/> moves it over the destination (<see cref="File.Move(string, string, bool)"/>).
/// Disposing without committing deletes the temporary file, so a failed write leaves neither a partial
/// destination nor a stray temporary file.
/// </summary>
internal sealed class AtomicFileWriter : IDisposable, IAsyncDisposable
{
    private readonly string path;
    private bool done;

    /// <summary>Creates the temporary file next to <paramref name="path"/>.</summary>
    /// <param name="path">The final destination; replaced on commit when it exists.</param>
    /// <param name="useAsync">Whether the stream is opened for asynchronous I/O.</param>
    public AtomicFileWriter(string path, bool useAsync = false)
    {
        this.path = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(this.path) ?? throw new ArgumentException($"{path} has no folder.", nameof(path));
        TemporaryPath = Path.Combine(folder, $".{Path.GetFileName(this.path)}.{Guid.NewGuid():N}.tmp");
        Stream = new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync);
    }

    /// <summary>The temporary file's path.</summary>
    public string TemporaryPath { get; }

    /// <summary>The stream to write the content to.</summary>
    public FileStream Stream { get; }

    /// <summary>Flushes the content to disk and moves the temporary file over the destination.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(TemporaryPath, path, overwrite: true);
        done = true;
    }

    /// <summary>Flushes the content to disk and moves the temporary file over the destination.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Commit();
    }

    /// <summary>Deletes the temporary file unless the write was committed.</summary>
    public void Dispose()
    {
        if (done)
        {
            return;
        }

        done = true;
        Stream.Dispose();
        try
        {
            File.Delete(TemporaryPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
