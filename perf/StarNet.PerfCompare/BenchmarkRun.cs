namespace StarNet.PerfCompare;

/// <summary>One benchmark case of an export: identity, parameters and its raw per-operation times.</summary>
/// <param name="FullName">BenchmarkDotNet's full name (namespace, type, method and parameter values): the key that pairs cases across runs.</param>
/// <param name="Type">The benchmark class.</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">Parameter names and values in BenchmarkDotNet's order.</param>
/// <param name="HardwareIntrinsics">What the benchmark process reported (empty for in-process runs).</param>
/// <param name="Samples">Nanoseconds per operation of each measured iteration (Statistics.OriginalValues); empty when the case failed.</param>
/// <param name="Flops">Flops of one operation when the class counts them (added by the StarNet exporter).</param>
/// <param name="AllocatedBytes">Managed bytes allocated per operation, when measured.</param>
public sealed record BenchmarkResult(
    string FullName,
    string Type,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    string HardwareIntrinsics,
    IReadOnlyList<double> Samples,
    double? Flops,
    long? AllocatedBytes)
{
    /// <summary>The parameter that names the implementation (ours or a native peer) in a paired benchmark.</summary>
    public const string ImplementationParameter = "Implementation";

    /// <summary>The implementation value of our own engine.</summary>
    public const string OwnImplementation = "StarNet";

    /// <summary>Class and method, the grouping of the report tables.</summary>
    public string Group => $"{Type}.{Method}";

    /// <summary>True when the case measured something.</summary>
    public bool HasResult => Samples.Count > 0;

    /// <summary>Median nanoseconds per operation, or NaN when the case failed.</summary>
    public double Median => Statistics.Median(Samples);

    /// <summary>The value of the Implementation parameter, or null when the class has none.</summary>
    public string? Implementation => Parameter(ImplementationParameter);

    /// <summary>True for a native peer's row (Implementation other than StarNet): a yardstick, not our code.</summary>
    public bool IsPeer => Implementation is { } impl && impl != OwnImplementation;

    /// <summary>The parameters other than Implementation, as one string: rows equal here differ only by implementation.</summary>
    public string PeerKey => Group + "|" + string.Join("&", Parameters.Where(p => p.Key != ImplementationParameter).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>A parameter's value, or null.</summary>
    public string? Parameter(string name) => Parameters.FirstOrDefault(p => p.Key == name).Value;
}

/// <summary>Everything read from one run: the environment of its first export and the cases of all of them.</summary>
/// <param name="Source">Where it was read from.</param>
/// <param name="Environment">Named facts about machine, runtime and engine (see <see cref="RunEnvironmentKeys"/>).</param>
/// <param name="Benchmarks">The cases of every export found, in file order.</param>
public sealed record BenchmarkRun(string Source, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<BenchmarkResult> Benchmarks)
{
    /// <summary>An environment value, or the empty string when the export does not have it.</summary>
    public string Env(string key) => Environment.TryGetValue(key, out string? v) ? v : string.Empty;
}

/// <summary>The environment keys the tool reads: BenchmarkDotNet's HostEnvironmentInfo and the StarNet block.</summary>
public static class RunEnvironmentKeys
{
    public const string ProcessorName = "ProcessorName";
    public const string LogicalCoreCount = "LogicalCoreCount";
    public const string Architecture = "Architecture";
    public const string OsVersion = "OsVersion";
    public const string RuntimeVersion = "RuntimeVersion";
    public const string BenchmarkDotNetVersion = "BenchmarkDotNetVersion";

    /// <summary>First non-empty per-benchmark HardwareIntrinsics of the run (what the benchmark process could use).</summary>
    public const string HardwareIntrinsics = "HardwareIntrinsics";

    public const string CpuModel = "StarNet.CpuModel";
    public const string CpuSimdFlags = "StarNet.CpuSimdFlags";
    public const string EngineHardwareIsa = "StarNet.HardwareInstructionSet";
    public const string EngineActiveIsa = "StarNet.ActiveInstructionSet";
    public const string MaxIsaOverride = "StarNet.MaxIsaOverride";
    public const string EngineDescription = "StarNet.EngineDescription";
    public const string DotnetSwitches = "StarNet.DotnetIntrinsicsSwitches";
    public const string LoadAtStart = "StarNet.LoadAverageAtStart";
    public const string LoadAtEnd = "StarNet.LoadAverageAtEnd";
    public const string Label = "StarNet.Label";
    public const string Title = "Title";
}
