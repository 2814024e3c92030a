using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Reports;
using StarNet.Benchmarks.Columns;

namespace StarNet.Benchmarks.Export;

/// <summary>
/// BenchmarkDotNet's full JSON export (<c>*-report-full.json</c>, raw measurements included) with two additions the
/// regression tools read: <c>HostEnvironmentInfo.StarNet</c> (engine instruction set, CPU model and flags, load
/// average, run label) and, for classes that implement <see cref="IFlopCount"/>, <c>Benchmarks[].Flops</c>.
/// Everything BenchmarkDotNet writes is kept as it is.
/// </summary>
public sealed class StarNetJsonExporter : JsonExporter
{
    /// <summary>The one instance (BenchmarkDotNet removes duplicate exporters by reference).</summary>
    public static readonly StarNetJsonExporter Instance = new();

    private StarNetJsonExporter()
        : base("-full", indentJson: true, excludeMeasurements: false)
    {
    }

    protected override IReadOnlyDictionary<string, object> GetDataToSerialize(HostEnvironmentInfo environmentInfo)
    {
        var data = new Dictionary<string, object>(base.GetDataToSerialize(environmentInfo))
        {
            ["StarNet"] = RunEnvironment.Describe().ToDictionary(kv => kv.Key, kv => kv.Value ?? string.Empty),
        };
        return data;
    }

    protected override IReadOnlyDictionary<string, object> GetDataToSerialize(BenchmarkReport report)
    {
        var data = new Dictionary<string, object>(base.GetDataToSerialize(report));
        if (GflopsColumn.FlopsOf(report.BenchmarkCase) is double flops)
        {
            data["Flops"] = flops;
        }

        return data;
    }
}
