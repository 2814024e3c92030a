using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace StarNet.Data;

/// <summary>
/// Downloads datasets over HTTP(S) and checks every file against its expected SHA-256 before it is
/// put in place. A download goes to a temporary file in the destination folder, is hashed as it
/// arrives, and is moved to its final name only when the hash matches; on any failure (HTTP error,
/// hash mismatch, cancellation) the temporary file is deleted and nothing is left behind.
/// </summary>
public sealed class DatasetFetcher
{
    private const int BufferBytes = 1 << 16;

    private readonly HttpClient http;

    /// <summary>Creates a fetcher that uses <paramref name="httpClient"/> (not disposed by the fetcher).</summary>
    /// <param name="httpClient">The client for all requests.</param>
    public DatasetFetcher(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        http = httpClient;
    }

    /// <summary>Downloads the built-in dataset <paramref name="name"/> into <paramref name="destinationFolder"/>.</summary>
    /// <param name="name"><c>mnist</c>, <c>fashion-mnist</c> or <c>cifar10</c>; see <see cref="DatasetSource.Get"/>.</param>
    /// <param name="destinationFolder">The folder to fill; created when missing.</param>
    /// <param name="progress">Receives the total number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The paths of the dataset files in the folder.</returns>
    public Task<IReadOnlyList<string>> FetchAsync(string name, string destinationFolder, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(DatasetSource.Get(name), destinationFolder, progress, cancellationToken);

    /// <summary>
    /// Downloads every file of <paramref name="source"/> into <paramref name="destinationFolder"/>, skipping files
    /// already there with the right hash, and extracts the archive members when the source has any.
    /// </summary>
    /// <param name="source">What to download and the expected hashes.</param>
    /// <param name="destinationFolder">The folder to fill; created when missing.</param>
    /// <param name="progress">Receives the total number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The paths of the dataset files in the folder (the extracted members for an archive source).</returns>
    /// <exception cref="HttpRequestException">The server answered with an error status (the message names the URL).</exception>
    /// <exception cref="InvalidDataException">A file's hash or length is not the expected one, or an archive lacks a member.</exception>
    public async Task<IReadOnlyList<string>> FetchAsync(DatasetSource source, string destinationFolder, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destinationFolder);
        Directory.CreateDirectory(destinationFolder);
        long total = 0;
        void Count(long bytes) => progress?.Report(total += bytes);

        var results = new List<string>();
        foreach (RemoteFile file in source.Files)
        {
            string target = Path.Combine(destinationFolder, Path.GetFileName(file.FileName));
            var url = new Uri(source.BaseUrl, file.FileName);
            if (source.ArchiveMembers.Count > 0)
            {
                string[] members = [.. source.ArchiveMembers.Select(m => Path.Combine(destinationFolder, m))];
                if (!members.All(File.Exists))
                {
                    await DownloadCoreAsync(url, target, file.Sha256, file.Length, Count, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await ExtractAsync(target, destinationFolder, source.ArchiveMembers, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        File.Delete(target);
                    }
                }

                results.AddRange(members);
            }
            else
            {
                if (!File.Exists(target) || !string.Equals(await ComputeSha256Async(target, cancellationToken).ConfigureAwait(false), file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    await DownloadCoreAsync(url, target, file.Sha256, file.Length, Count, cancellationToken).ConfigureAwait(false);
                }

                results.Add(target);
            }
        }

        return results;
    }

    /// <summary>Downloads one file and puts it at <paramref name="destinationPath"/> only if its SHA-256 matches.</summary>
    /// <param name="url">The file's URL.</param>
    /// <param name="destinationPath">Where the file goes; replaced when it exists.</param>
    /// <param name="expectedSha256">The SHA-256 the file must have, 64 hex digits. There is no default: the caller must know it.</param>
    /// <param name="progress">Receives the number of bytes downloaded so far.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>A task that completes when the verified file is in place.</returns>
    /// <exception cref="HttpRequestException">The server answered with an error status (the message names the URL).</exception>
    /// <exception cref="InvalidDataException">The downloaded file's hash is not <paramref name="expectedSha256"/>; nothing is left behind.</exception>
    public Task DownloadFileAsync(Uri url, string destinationPath, string expectedSha256, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destinationPath);
        long total = 0;
        return DownloadCoreAsync(url, destinationPath, expectedSha256, null, bytes => progress?.Report(total += bytes), cancellationToken);
    }

    /// <summary>The SHA-256 of a file as 64 lowercase hex digits.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>The hash.</returns>
    public static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private static void CheckHash(string expectedSha256)
    {
        ArgumentNullException.ThrowIfNull(expectedSha256);
        if (expectedSha256.Length != 64 || !expectedSha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"'{expectedSha256}' is not a SHA-256 (64 hex digits).", nameof(expectedSha256));
        }
    }

    private async Task DownloadCoreAsync(Uri url, string path, string expectedSha256, long? maxLength, Action<long> onBytes, CancellationToken cancellationToken)
    {
        CheckHash(expectedSha256);
        using HttpResponseMessage response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        if (maxLength is { } max && response.Content.Headers.ContentLength > max)
        {
            throw new InvalidDataException($"{url}: the server sends {response.Content.Headers.ContentLength} bytes but the file is {max} bytes long");
        }

        var writer = new AtomicFileWriter(path, useAsync: true);
        await using (writer.ConfigureAwait(false))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
                try
                {
                    long received = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        received += read;
                        if (received > maxLength)
                        {
                            throw new InvalidDataException($"{url}: more than the expected {maxLength} bytes; the download was discarded");
                        }

                        hash.AppendData(buffer, 0, read);
                        await writer.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        onBytes(read);
                    }

                    string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                    if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new InvalidDataException($"{url}: SHA-256 mismatch: expected {expectedSha256.ToLowerInvariant()}, got {actual} ({received} bytes); the download was discarded");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExtractAsync(string archive, string folder, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<string>(members, StringComparer.Ordinal);
        var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using (gzip.ConfigureAwait(false))
            {
                var tar = new TarReader(gzip);
                await using (tar.ConfigureAwait(false))
                {
                    while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        // Only the file name counts, so no entry can write outside the folder.
                        string name = Path.GetFileName(entry.Name);
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null || !wanted.Remove(name))
                        {
                            continue;
                        }

                        var writer = new AtomicFileWriter(Path.Combine(folder, name), useAsync: true);
                        await using (writer.ConfigureAwait(false))
                        {
                            await entry.DataStream.CopyToAsync(writer.Stream, cancellationToken).ConfigureAwait(false);
                            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }

        if (wanted.Count > 0)
        {
            throw new InvalidDataException($"{archive}: the archive lacks {string.Join(", ", wanted.Order(StringComparer.Ordinal))}");
        }
    }
}
