namespace StarNet.IO;

/// <summary>
/// A forward-only, write-only view of another stream that counts the bytes written through it, so that
/// code outside our control can write into a file without seeking in it or closing it.
/// </summary>
internal sealed class CountingWriteStream(Stream inner) : Stream
{
    /// <summary>The number of bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    /// <inheritdoc/>
    public override void WriteByte(byte value)
    {
        inner.WriteByte(value);
        BytesWritten++;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        // The owner flushes the underlying stream.
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
