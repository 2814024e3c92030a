using System.Security.Cryptography;
using StarNet.Cli.Commands;
using StarNet.Core.Tests.Data.Support;

namespace StarNet.Cli.Tests.Commands;

/// <summary><c>starnet data fetch</c> against a loopback HTTP server (127.0.0.1) serving small files.</summary>
public sealed class DataFetchCommandTests
{
    [Fact]
    public void Fetches_files_with_their_hashes_from_a_base_url()
    {
        using var server = new LocalHttpServer();
        byte[] a = [1, 2, 3, 4, 5];
        byte[] b = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];
        server.Serve("sub/a.bin", a);
        server.Serve("sub/b.bin", b);
        using var temp = new TempFolder();
        string to = temp.File("out");

        CliResult result = CliRunner.Run(
            "data", "fetch", "tiny", "--to", to, "--base-url", new Uri(server.BaseUrl, "sub").AbsoluteUri,
            "--file", $"a.bin={Convert.ToHexStringLower(SHA256.HashData(a))}",
            "--file", $"b.bin={Convert.ToHexString(SHA256.HashData(b))}").AssertSuccess();

        Assert.Equal(a, File.ReadAllBytes(Path.Combine(to, "a.bin")));
        Assert.Equal(b, File.ReadAllBytes(Path.Combine(to, "b.bin")));
        Assert.Equal(["a.bin", "b.bin"], Directory.GetFiles(to).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("tiny: 2 verified file(s)", result.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Err);
    }

    [Fact]
    public void A_mirror_serving_other_bytes_than_the_canonical_files_fails_and_leaves_nothing()
    {
        using var server = new LocalHttpServer();
        server.Serve("train-images-idx3-ubyte.gz", [9, 9, 9]);
        using var temp = new TempFolder();

        CliResult result = CliRunner.Run("data", "fetch", "mnist", "--to", temp.Path, "--base-url", server.BaseUrl.AbsoluteUri);

        result.AssertOneLineError(ExitCodes.Failure, "SHA-256 mismatch", "train-images-idx3-ubyte.gz");
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_missing_file_on_the_server_is_one_line_naming_the_url()
    {
        using var server = new LocalHttpServer();
        using var temp = new TempFolder();

        CliResult result = CliRunner.Run(
            "data", "fetch", "x", "--to", temp.Path, "--base-url", server.BaseUrl.AbsoluteUri, "--file", $"gone.bin={new string('0', 64)}");

        result.AssertOneLineError(ExitCodes.Failure, "HTTP 404", "gone.bin");
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData("unknown dataset 'nosuch'", "data", "fetch", "nosuch", "--to", "x")]
    [InlineData("needs --to DIR", "data", "fetch", "mnist")]
    [InlineData("needs a dataset NAME", "data", "fetch", "--to", "x")]
    [InlineData("is not an http or https URL", "data", "fetch", "mnist", "--to", "x", "--base-url", "ftp://host/")]
    [InlineData("is not an http or https URL", "data", "fetch", "mnist", "--to", "x", "--base-url", "not a url")]
    [InlineData("--file needs --base-url", "data", "fetch", "x", "--to", "x", "--file", "a.bin=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("is not NAME=SHA256", "data", "fetch", "x", "--to", "x", "--base-url", "http://127.0.0.1:1/", "--file", "a.bin=abc")]
    [InlineData("is not NAME=SHA256", "data", "fetch", "x", "--to", "x", "--base-url", "http://127.0.0.1:1/", "--file", "../a.bin=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("--timeout: 0 is out of range", "data", "fetch", "mnist", "--to", "x", "--timeout", "0")]
    [InlineData("unexpected argument 'extra'", "data", "fetch", "mnist", "extra", "--to", "x")]
    public void Wrong_command_lines_are_usage_errors(string fragment, params string[] args) =>
        CliRunner.Run(args).AssertOneLineError(ExitCodes.Usage, fragment);
}
