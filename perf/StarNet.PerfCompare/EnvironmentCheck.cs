namespace StarNet.PerfCompare;

/// <summary>One environment fact of both runs.</summary>
/// <param name="Label">What it is, for the report.</param>
/// <param name="Base">The baseline's value (empty when not recorded).</param>
/// <param name="Diff">The new run's value (empty when not recorded).</param>
/// <param name="Blocking">True when a difference makes the timings incomparable (other machine or instruction set).</param>
public sealed record EnvironmentItem(string Label, string Base, string Diff, bool Blocking)
{
    /// <summary>True when either run lacks the value, so it cannot be checked.</summary>
    public bool Unknown => Base.Length == 0 || Diff.Length == 0;

    /// <summary>True when both runs have the value and it differs.</summary>
    public bool Differs => !Unknown && Base != Diff;

    /// <summary>True when this difference refuses the comparison (unless forced).</summary>
    public bool Refuses => Blocking && Differs;

    /// <summary>One word for the report.</summary>
    public string Status => Refuses ? "DIFFERENT (refuses)" : Differs ? "different (note)" : Unknown ? (Blocking ? "not recorded on both sides" : "-") : "same";
}

/// <summary>
/// Decides whether two runs may be compared: same CPU model, core count and architecture; same hardware intrinsics
/// in the benchmark process; same engine instruction set (hardware tier and the active one, which
/// <c>STARNET_MAX_ISA</c> or <c>DOTNET_Enable*</c> switches can lower). Runtime, OS and BenchmarkDotNet versions
/// and the load average are reported but do not refuse.
/// </summary>
public static class EnvironmentCheck
{
    private static readonly (string Key, string Label, bool Blocking)[] Facts =
    [
        (RunEnvironmentKeys.ProcessorName, "processor (BenchmarkDotNet)", true),
        (RunEnvironmentKeys.CpuModel, "CPU model (/proc/cpuinfo)", true),
        (RunEnvironmentKeys.LogicalCoreCount, "logical cores", true),
        (RunEnvironmentKeys.Architecture, "architecture", true),
        (RunEnvironmentKeys.HardwareIntrinsics, "hardware intrinsics (benchmark process)", true),
        (RunEnvironmentKeys.CpuSimdFlags, "CPU SIMD flags", true),
        (RunEnvironmentKeys.EngineHardwareIsa, "engine hardware instruction set", true),
        (RunEnvironmentKeys.EngineActiveIsa, "engine active instruction set", true),
        (RunEnvironmentKeys.MaxIsaOverride, "STARNET_MAX_ISA", false),
        (RunEnvironmentKeys.DotnetSwitches, "DOTNET_Enable* switches", false),
        (RunEnvironmentKeys.RuntimeVersion, ".NET runtime", false),
        (RunEnvironmentKeys.OsVersion, "OS", false),
        (RunEnvironmentKeys.BenchmarkDotNetVersion, "BenchmarkDotNet", false),
        (RunEnvironmentKeys.Label, "label (commit)", false),
        (RunEnvironmentKeys.LoadAtStart, "load average at start", false),
        (RunEnvironmentKeys.LoadAtEnd, "load average at end", false),
    ];

    /// <summary>Every fact, in report order.</summary>
    public static IReadOnlyList<EnvironmentItem> Items(BenchmarkRun baseline, BenchmarkRun diff) =>
        [.. Facts.Select(f => new EnvironmentItem(f.Label, baseline.Env(f.Key), diff.Env(f.Key), f.Blocking))];
}
