using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace StarNet.Benchmarks.Sets;

/// <summary>
/// A benchmark class that puts only some of its parameter combinations in the quick set. Evaluated on an instance
/// whose parameters are set (no setup runs), so it may look at any parameter.
/// </summary>
public interface IQuickSet
{
    /// <summary>True when the current parameter combination belongs to the quick set.</summary>
    bool InQuickSet { get; }
}

/// <summary>
/// The named benchmark sets of <c>perf/run.sh</c>: <c>full</c> is every benchmark; <c>quick</c> is every case whose
/// method or class carries <c>[BenchmarkCategory(BenchmarkSets.Quick)]</c>, narrowed by <see cref="IQuickSet"/>
/// when the class implements it.
/// </summary>
public static class BenchmarkSets
{
    /// <summary>The category that marks a benchmark method or class as part of the quick set.</summary>
    public const string Quick = "quick";

    /// <summary>The set names <c>--set</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["quick", "full"];

    /// <summary>The filter of a named set, or null for <c>full</c> (no filter).</summary>
    public static IFilter? FilterFor(string set) => set switch
    {
        "quick" => new SimpleFilter(IsQuick),
        "full" => null,
        _ => throw new ArgumentException($"Unknown benchmark set '{set}'; expected one of: {string.Join(", ", Names)}.", nameof(set)),
    };

    /// <summary>The filter every run applies: drops the combinations an <see cref="ICaseFilter"/> calls meaningless.</summary>
    public static IFilter Meaningful { get; } = new SimpleFilter(IsMeaningful);

    /// <summary>False for a parameter combination its class calls meaningless (see <see cref="ICaseFilter"/>).</summary>
    public static bool IsMeaningful(BenchmarkCase benchmarkCase) => BenchmarkInstances.As<ICaseFilter>(benchmarkCase)?.IsMeaningful ?? true;

    /// <summary>True when a case is in the quick set.</summary>
    public static bool IsQuick(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Categories.Contains(Quick, StringComparer.OrdinalIgnoreCase)
        && (BenchmarkInstances.As<IQuickSet>(benchmarkCase)?.InQuickSet ?? true);
}
