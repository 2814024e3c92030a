using System.Globalization;
using System.Text.Json;

namespace StarNet.PerfCompare;

/// <summary>A file or folder that does not hold a usable BenchmarkDotNet full JSON export.</summary>
public sealed class ExportException(string message) : Exception(message);

/// <summary>
/// Reads BenchmarkDotNet full JSON exports (<c>*-report-full.json</c>): a single file, or every such file below a
/// folder (one per benchmark class). Only the fields the tool needs are read; unknown fields are ignored, so plain
/// BenchmarkDotNet exports work too (without the StarNet block the engine's instruction set is unknown).
/// </summary>
public static class ExportReader
{
    /// <summary>The file name ending of the exports read from a folder.</summary>
    public const string FullJsonSuffix = "-report-full.json";

    /// <summary>Reads a run from a file or a folder.</summary>
    public static BenchmarkRun Load(string path)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = [.. Directory.EnumerateFiles(path, "*" + FullJsonSuffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                throw new ExportException($"{path}: no *{FullJsonSuffix} file in this folder or below it.");
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new ExportException($"{path}: no such file or folder.");
        }

        Dictionary<string, string>? environment = null;
        var benchmarks = new List<BenchmarkResult>();
        foreach (string file in files)
        {
            (Dictionary<string, string> env, List<BenchmarkResult> cases) = LoadFile(file);
            environment ??= env;
            benchmarks.AddRange(cases);
        }

        string intrinsics = benchmarks.Select(b => b.HardwareIntrinsics).FirstOrDefault(h => h.Length > 0) ?? string.Empty;
        environment![RunEnvironmentKeys.HardwareIntrinsics] = intrinsics;
        return new BenchmarkRun(path, environment, benchmarks);
    }

    /// <summary>Reads one export file.</summary>
    public static (Dictionary<string, string> Environment, List<BenchmarkResult> Benchmarks) LoadFile(string file)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new ExportException($"{file}: not valid JSON ({e.Message}).");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("HostEnvironmentInfo", out JsonElement host) || host.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("Benchmarks", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new ExportException($"{file}: not a BenchmarkDotNet full JSON export (needs HostEnvironmentInfo and Benchmarks).");
            }

            var env = new Dictionary<string, string>(StringComparer.Ordinal) { [RunEnvironmentKeys.Title] = Text(root, "Title") };
            foreach (JsonProperty p in host.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object && p.Name == "StarNet")
                {
                    foreach (JsonProperty q in p.Value.EnumerateObject())
                    {
                        env["StarNet." + q.Name] = Scalar(q.Value);
                    }
                }
                else if (p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                {
                    env[p.Name] = Scalar(p.Value);
                }
            }

            var cases = new List<BenchmarkResult>();
            foreach (JsonElement b in list.EnumerateArray())
            {
                cases.Add(ReadBenchmark(file, b));
            }

            return (env, cases);
        }
    }

    private static BenchmarkResult ReadBenchmark(string file, JsonElement b)
    {
        string fullName = Text(b, "FullName");
        if (fullName.Length == 0)
        {
            throw new ExportException($"{file}: a benchmark without FullName.");
        }

        var samples = new List<double>();
        if (b.TryGetProperty("Statistics", out JsonElement stats) && stats.ValueKind == JsonValueKind.Object
            && stats.TryGetProperty("OriginalValues", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement v in values.EnumerateArray())
            {
                if (v.ValueKind == JsonValueKind.Number)
                {
                    samples.Add(v.GetDouble());
                }
            }
        }

        double? flops = b.TryGetProperty("Flops", out JsonElement f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : null;
        long? allocated = b.TryGetProperty("Memory", out JsonElement mem) && mem.ValueKind == JsonValueKind.Object
            && mem.TryGetProperty("BytesAllocatedPerOperation", out JsonElement a) && a.ValueKind == JsonValueKind.Number
            ? a.GetInt64() : null;

        return new BenchmarkResult(
            fullName,
            Text(b, "Type"),
            Text(b, "Method"),
            ParseParameters(Text(b, "Parameters")),
            Text(b, "HardwareIntrinsics"),
            samples,
            flops,
            allocated);
    }

    /// <summary>Parses BenchmarkDotNet's "Name=value&amp;Name=value" parameter string.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseParameters(string text) =>
        [.. text.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? kv[1] : string.Empty))];

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) ? Scalar(v) : string.Empty;

    private static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? string.Empty,
        JsonValueKind.Number => v.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => string.Empty,
    };
}
