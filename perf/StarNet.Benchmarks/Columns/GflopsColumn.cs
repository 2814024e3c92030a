using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StarNet.Benchmarks.Columns;

/// <summary>A benchmark class that knows how many floating-point operations one invocation performs.</summary>
public interface IFlopCount
{
    /// <summary>Flops of one invocation for the current parameter values.</summary>
    double Flops { get; }
}

/// <summary>
/// Adds a GFLOP/s column: the class's <see cref="IFlopCount.Flops"/> (for the case's parameters) over the mean
/// time. The instance is created and its parameters set the way BenchmarkDotNet does, without running setup.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Essential floating-point operations per second (flops of one call / mean time)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = FlopsOf(benchmarkCase);
        BenchmarkReport? report = summary[benchmarkCase];
        double? ns = report?.ResultStatistics?.Mean;
        if (flops is null || ns is null || ns <= 0)
        {
            return "-";
        }

        return (flops.Value / ns.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Flops of one invocation of a case, or null when the class does not count them.</summary>
    public static double? FlopsOf(BenchmarkCase benchmarkCase) => BenchmarkInstances.As<IFlopCount>(benchmarkCase)?.Flops;
}
