using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.TestFiles;

namespace StarNet.Core.Tests.Data;

public sealed class DatasetFetcherTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly LocalHttpServer server = new();
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly DatasetFetcher fetcher;

    public DatasetFetcherTests() => fetcher = new DatasetFetcher(http);

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task Download_with_the_right_hash_is_put_in_place()
    {
        byte[] body = RandomBytes(new Random(1), 200_000);
        server.Serve("files/blob.bin", body);
        var progress = new Recorder();

        await fetcher.DownloadFileAsync(new Uri(server.BaseUrl, "files/blob.bin"), folder.File("blob.bin"), Sha256(body), progress);

        Assert.Equal(body, File.ReadAllBytes(folder.File("blob.bin")));
        Assert.Equal(["blob.bin"], folder.FileNames());
        Assert.Equal(body.Length, progress.Last);
    }

    [Fact]
    public async Task Hash_mismatch_leaves_nothing_behind()
    {
        server.Serve("blob.bin", [1, 2, 3]);
        var url = new Uri(server.BaseUrl, "blob.bin");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.DownloadFileAsync(url, folder.File("blob.bin"), Sha256([9])));

        Assert.Contains("SHA-256 mismatch", error.Message, StringComparison.Ordinal);
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Hash_mismatch_keeps_an_existing_file()
    {
        File.WriteAllText(folder.File("blob.bin"), "old");
        server.Serve("blob.bin", [1, 2, 3]);

        await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.DownloadFileAsync(new Uri(server.BaseUrl, "blob.bin"), folder.File("blob.bin"), Sha256([9])));

        Assert.Equal("old", File.ReadAllText(folder.File("blob.bin")));
        Assert.Equal(["blob.bin"], folder.FileNames());
    }

    [Fact]
    public async Task Not_found_is_an_http_error_naming_the_url_and_leaves_nothing_behind()
    {
        var url = new Uri(server.BaseUrl, "missing.bin");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fetcher.DownloadFileAsync(url, folder.File("missing.bin"), Sha256([1])));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public async Task Cancellation_leaves_nothing_behind()
    {
        server.Serve("blob.bin", [1, 2, 3]);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetcher.DownloadFileAsync(new Uri(server.BaseUrl, "blob.bin"), folder.File("blob.bin"), Sha256([1, 2, 3]), null, cancel.Token));

        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public async Task An_expected_hash_is_required()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fetcher.DownloadFileAsync(new Uri(server.BaseUrl, "x"), folder.File("x"), "not-a-hash"));
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Built_in_mnist_source_rejects_a_server_with_other_files()
    {
        // The built-in source pointed at the local server: its bytes are not MNIST's, so the hash check fails.
        server.Serve("mnist/train-images-idx3-ubyte.gz", Gzip(Idx([1, 2, 3, 4], 1, 2, 2)));
        DatasetSource local = DatasetSource.Mnist with { BaseUrl = new Uri(server.BaseUrl, "mnist/") };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(local, folder.Path));

        Assert.Contains("train-images-idx3-ubyte.gz", error.Message, StringComparison.Ordinal);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public async Task Download_longer_than_the_known_length_is_stopped()
    {
        server.Serve("big.bin", new byte[5000]);
        var source = new DatasetSource("test", server.BaseUrl, [new RemoteFile("big.bin", Sha256(new byte[5000]), Length: 100)]);

        await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(source, folder.Path));

        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public async Task Fetch_downloads_all_files_then_skips_those_already_verified()
    {
        byte[] images = Gzip(Idx([0, 255, 0, 255], 1, 2, 2));
        byte[] labels = Gzip(Idx([7], 1));
        server.Serve("d/train-images-idx3-ubyte.gz", images);
        server.Serve("d/train-labels-idx1-ubyte.gz", labels);
        var source = new DatasetSource("tiny", new Uri(server.BaseUrl, "d/"), [
            new RemoteFile("train-images-idx3-ubyte.gz", Sha256(images)),
            new RemoteFile("train-labels-idx1-ubyte.gz", Sha256(labels)),
        ]);
        var progress = new Recorder();

        IReadOnlyList<string> files = await fetcher.FetchAsync(source, folder.Path, progress);
        int requests = server.Requests;
        await fetcher.FetchAsync(source, folder.Path);

        Assert.Equal(2, files.Count);
        Assert.Equal(images.Length + labels.Length, progress.Last);
        Assert.Equal(2, requests);
        Assert.Equal(requests, server.Requests);
        Assert.Equal(new byte[] { 7 }, DatasetLoader.Load(folder.Path).Train.Labels);
    }

    [Fact]
    public async Task Archive_members_are_extracted_and_the_archive_removed()
    {
        byte[] archive = TarGz(
            ("cifar-10-batches-bin/data_batch_1.bin", CifarRecords([4, 5], new byte[2 * 3072])),
            ("cifar-10-batches-bin/test_batch.bin", CifarRecords([6], new byte[3072])),
            ("cifar-10-batches-bin/readme.html", [1, 2, 3]));
        server.Serve("kriz/cifar.tar.gz", archive);
        var source = new DatasetSource("cifar-test", new Uri(server.BaseUrl, "kriz/"), [new RemoteFile("cifar.tar.gz", Sha256(archive))])
        {
            ArchiveMembers = ["data_batch_1.bin", "test_batch.bin"],
        };

        IReadOnlyList<string> files = await fetcher.FetchAsync(source, folder.Path);

        Assert.Equal(["data_batch_1.bin", "test_batch.bin"], folder.FileNames());
        Assert.Equal(2, files.Count);
        Dataset data = DatasetLoader.Load(folder.Path);
        Assert.Equal(new byte[] { 4, 5 }, data.Train.Labels);
        Assert.Equal(new byte[] { 6 }, data.Test!.Labels);
    }

    [Fact]
    public async Task Archive_lacking_a_member_is_an_error()
    {
        byte[] archive = TarGz(("x/data_batch_1.bin", CifarRecords([1], new byte[3072])));
        server.Serve("a.tar.gz", archive);
        var source = new DatasetSource("cifar-test", server.BaseUrl, [new RemoteFile("a.tar.gz", Sha256(archive))])
        {
            ArchiveMembers = ["data_batch_1.bin", "test_batch.bin"],
        };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(source, folder.Path));

        Assert.Contains("test_batch.bin", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a.tar.gz", folder.FileNames());
    }

    [Fact]
    public void Built_in_sources_carry_full_sha256_hashes()
    {
        Assert.Equal(["mnist", "fashion-mnist", "cifar10"], DatasetSource.KnownNames);
        Assert.Same(DatasetSource.FashionMnist, DatasetSource.Get("Fashion-MNIST"));
        Assert.Equal("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz", new Uri(DatasetSource.Mnist.BaseUrl, DatasetSource.Mnist.Files[0].FileName).ToString());
        Assert.All(
            DatasetSource.KnownNames.SelectMany(n => DatasetSource.Get(n).Files),
            f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Throws<ArgumentException>(() => DatasetSource.Get("imagenet"));
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static byte[] TarGz(params (string Name, byte[] Data)[] entries)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach ((string name, byte[] data) in entries)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
        }

        return Gzip(tar.ToArray());
    }

    private sealed class Recorder : IProgress<long>
    {
        private long last;

        public long Last => Interlocked.Read(ref last);

        public void Report(long value) => Interlocked.Exchange(ref last, value);
    }
}
