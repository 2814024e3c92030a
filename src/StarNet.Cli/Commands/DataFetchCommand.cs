using System.Globalization;
using StarNet.Cli.Progress;
using StarNet.Data;

namespace StarNet.Cli.Commands;

/// <summary>
/// <c>starnet data fetch NAME --to DIR</c>: downloads a dataset from its canonical location (or another base URL)
/// with SHA-256 verification; each file is moved into place only when its hash matches.
/// </summary>
internal sealed class DataFetchCommand : Command
{
    public override string Name => "data fetch";

    public override string Summary => "download a dataset (mnist, fashion-mnist, cifar10) with SHA-256 verification";

    public override string Arguments => "NAME --to DIR [options]";

    public override int MaxPositionals => 1;

    public override IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("to", "DIR", "folder to download into; created when missing (required)"),
        new("base-url", "URL", "download from this URL instead of the canonical one (a mirror); the expected hashes stay the same"),
        new("file", "NAME=SHA256", "download NAME from --base-url and expect this SHA-256 instead of the built-in file list (repeatable)", Repeatable: true),
        new("timeout", "SECONDS", "give up on a stalled download after this long", "600"),
    ];

    public override IReadOnlyList<string> Examples { get; } =
    [
        "data fetch mnist --to data/mnist",
        "data fetch fashion-mnist --to data/fashion-mnist --base-url https://mirror.example.org/fashion/",
    ];

    public override string Details =>
        $"""
        Known datasets: {string.Join(", ", DatasetSource.KnownNames)}. A file already in DIR with the right hash is not
        downloaded again. A download goes to a temporary file in DIR and is moved to its name only when its SHA-256
        matches; on a mismatch, an HTTP error or Ctrl+C nothing is left behind. CIFAR-10's archive is extracted and deleted.
        """;

    protected override int Execute(ParsedArguments args, CliContext context)
    {
        string name = args.Positionals.Count == 1 ? args.Positionals[0] : throw new UsageException("'starnet data fetch' needs a dataset NAME (see 'starnet data fetch --help')");
        string folder = args.Required("to", "DIR");
        int timeout = args.Int("timeout", 1, 86_400) ?? 600;
        Uri? baseUrl = args.String("base-url") is { } url ? ParseBaseUrl(url) : null;
        DatasetSource source = MakeSource(name, baseUrl, args.All("file"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(timeout) };
        var fetcher = new DatasetFetcher(http);
        IReadOnlyList<string> files;
        using (var status = new StatusLine(context.Out, context.IsTerminal))
        {
            var progress = new SynchronousProgress<long>(bytes =>
                status.Update(string.Create(CultureInfo.InvariantCulture, $"downloading {source.Name}: {bytes / 1e6:0.0} MB"), milestone: false));
            files = fetcher.FetchAsync(source, folder, progress, context.CancellationToken).GetAwaiter().GetResult();
        }

        foreach (string file in files)
        {
            context.Out.WriteLine($"  {file}");
        }

        context.Out.WriteLine($"{source.Name}: {files.Count} verified file(s) in {folder}");
        return ExitCodes.Success;
    }

    private static Uri ParseBaseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"option --base-url: '{text}' is not an http or https URL");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static DatasetSource MakeSource(string name, Uri? baseUrl, IReadOnlyList<string> files)
    {
        if (files.Count > 0)
        {
            return new DatasetSource(
                name,
                baseUrl ?? throw new UsageException("option --file needs --base-url (where to download the files from)"),
                [.. files.Select(ParseFile)]);
        }

        DatasetSource known = DatasetSource.KnownNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? DatasetSource.Get(name)
            : throw new UsageException($"unknown dataset '{name}'; known: {string.Join(", ", DatasetSource.KnownNames)} (or give --base-url and --file NAME=SHA256)");
        return baseUrl is null ? known : known with { BaseUrl = baseUrl };
    }

    private static RemoteFile ParseFile(string text)
    {
        int equals = text.LastIndexOf('=');
        string file = equals > 0 ? text[..equals] : string.Empty;
        string hash = equals > 0 ? text[(equals + 1)..] : string.Empty;
        if (file.Length == 0 || file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal) || file is "." or ".."
            || hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            throw new UsageException($"option --file: '{text}' is not NAME=SHA256 (a plain file name and 64 hex digits)");
        }

        return new RemoteFile(file, hash);
    }
}
