using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace StarNet.Data;

/// <summary>
/// Reads one data file front to back, raw or gzip (recognised by its magic bytes <c>1f 8b</c>, not by
/// its name), and turns every problem into an <see cref="InvalidDataException"/> that names the file.
/// </summary>
internal sealed class DataFile : IDisposable
{
    /// <summary>Deflate cannot expand data by more than about 1032:1, so a larger claim cannot be real.</summary>
    internal const long MaxDeflateRatio = 1032;

    private const int ChunkBytes = 1 << 16;

    private readonly Stream stream;

    private DataFile(string path, Stream stream, bool isGzip, long fileLength, uint? gzipTrailerSize)
    {
        Path = path;
        this.stream = stream;
        IsGzip = isGzip;
        FileLength = fileLength;
        GzipTrailerSize = gzipTrailerSize;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>Whether the file is gzip-compressed.</summary>
    public bool IsGzip { get; }

    /// <summary>The length of the file on disk.</summary>
    public long FileLength { get; }

    /// <summary>The decompressed length modulo 2^32 that the gzip trailer states (ISIZE), or null for a raw file.</summary>
    public uint? GzipTrailerSize { get; }

    /// <summary>How many (decompressed) bytes have been read.</summary>
    public long Position { get; private set; }

    /// <summary>Opens <paramref name="path"/> and detects gzip by its first two bytes.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The open file, positioned at its first (decompressed) byte.</returns>
    public static DataFile Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, FileOptions.SequentialScan);
        try
        {
            Span<byte> head = stackalloc byte[4];
            int read = file.ReadAtLeast(head[..2], 2, throwOnEndOfStream: false);
            bool isGzip = read == 2 && head[0] == 0x1f && head[1] == 0x8b;
            uint? trailer = null;
            if (isGzip && file.Length >= 18)
            {
                file.Seek(-4, SeekOrigin.End);
                file.ReadExactly(head);
                trailer = BinaryPrimitives.ReadUInt32LittleEndian(head);
            }

            file.Seek(0, SeekOrigin.Begin);
            Stream stream = isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return new DataFile(path, stream, isGzip, file.Length, trailer);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads an already open (and, if need be, already decompressed) stream of <paramref name="path"/>.</summary>
    /// <param name="path">The file the stream comes from, for messages.</param>
    /// <param name="stream">The stream; disposed with the returned reader.</param>
    /// <param name="fileLength">The length of the file on disk.</param>
    /// <returns>A reader that counts <see cref="Position"/> from the stream's current position.</returns>
    public static DataFile OverStream(string path, Stream stream, long fileLength) => new(path, stream, isGzip: false, fileLength, gzipTrailerSize: null);

    /// <summary>
    /// Moves <paramref name="count"/> (decompressed) bytes forward: a seek in a raw file, a streamed read that keeps
    /// nothing in a gzip file. Fails, naming <paramref name="what"/>, when the data ends first.
    /// </summary>
    /// <param name="count">How many bytes to skip.</param>
    /// <param name="what">What is skipped, for the message.</param>
    public void Skip(long count, string what)
    {
        if (count > 0 && !IsGzip && stream.CanSeek)
        {
            long available = stream.Length - stream.Position;
            if (count > available)
            {
                throw Error($"unexpected end of data while skipping {what}: {count} bytes were to be skipped at byte {Position} but only {available} were left (the file is truncated)");
            }

            stream.Seek(count, SeekOrigin.Current);
            Position += count;
            return;
        }

        byte[] scratch = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(count, 1, ChunkBytes));
        try
        {
            while (count > 0)
            {
                int n = (int)Math.Min(count, scratch.Length);
                ReadExactly(scratch.AsSpan(0, n), what);
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Makes the exception for a malformed file.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    /// <returns>An exception whose message starts with the file's path.</returns>
    public InvalidDataException Error(string problem, Exception? inner = null) => DataErrors.Malformed(Path, problem, inner);

    /// <summary>
    /// Fails unless the file can hold <paramref name="claimedBytes"/> (decompressed) bytes from its start.
    /// For a raw file the claim is compared with the file length (exactly, when <paramref name="exact"/>);
    /// for a gzip file it is bounded by the largest possible deflate expansion.
    /// </summary>
    /// <param name="claimedBytes">The total size the header implies, header included.</param>
    /// <param name="what">What the header claims, for the message.</param>
    /// <param name="exact">Whether a raw file must be exactly that long.</param>
    public void RequireLength(long claimedBytes, string what, bool exact)
    {
        if (IsGzip)
        {
            if (claimedBytes / MaxDeflateRatio > FileLength)
            {
                throw Error($"the header claims {what} ({claimedBytes} bytes), more than a gzip file of {FileLength} bytes can hold");
            }
        }
        else if (claimedBytes > FileLength)
        {
            throw Error($"the header claims {what} ({claimedBytes} bytes in all) but the file holds only {FileLength} bytes: it is truncated or its header is wrong");
        }
        else if (exact && claimedBytes < FileLength)
        {
            throw Error($"the header claims {what} ({claimedBytes} bytes in all) but the file holds {FileLength} bytes: there is unexpected data after the end");
        }
    }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes.</summary>
    /// <param name="buffer">Where to put them.</param>
    /// <param name="what">What is being read, for the message.</param>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        int read;
        try
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Error($"corrupt or truncated compressed data while reading {what} at byte {Position}: {e.Message}", e);
        }

        Position += read;
        if (read < buffer.Length)
        {
            throw Error($"unexpected end of data while reading {what}: {buffer.Length} bytes were needed at byte {Position - read} but only {read} were left (the file is truncated)");
        }
    }

    /// <summary>Reads a big-endian 32-bit unsigned integer.</summary>
    /// <param name="what">What is being read, for the message.</param>
    /// <returns>The value.</returns>
    public uint ReadUInt32BigEndian(string what)
    {
        Span<byte> bytes = stackalloc byte[4];
        ReadExactly(bytes, what);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>Reads <c>destination.Length</c> unsigned bytes as pixels scaled to [0, 1], chunk by chunk.</summary>
    /// <param name="destination">Where the scaled values go.</param>
    /// <param name="what">What is being read, for the message.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    public void ReadPixels(Span<float> destination, string what, CancellationToken cancellationToken)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (!destination.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(ChunkBytes, destination.Length);
                Span<byte> bytes = chunk.AsSpan(0, count);
                ReadExactly(bytes, what);
                PixelScaling.ToUnitRange(bytes, destination[..count]);
                destination = destination[count..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Whether all data has been read (reads ahead one byte to find out).</summary>
    /// <returns>True at the end of the (decompressed) data.</returns>
    public bool AtEnd()
    {
        Span<byte> one = stackalloc byte[1];
        try
        {
            return stream.Read(one) == 0;
        }
        catch (InvalidDataException e)
        {
            throw Error($"corrupt or truncated compressed data at byte {Position}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => stream.Dispose();
}
