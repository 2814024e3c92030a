using System.Runtime.CompilerServices;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks;

/// <summary>
/// What a benchmark run needs to know about the machine and the engine beyond what BenchmarkDotNet records, and the
/// <c>STARNET_MAX_ISA</c> hook. The hook is applied by a module initializer, so it takes effect both in the host
/// process and in the separate process BenchmarkDotNet starts for each benchmark (it inherits the environment).
/// </summary>
public static class RunEnvironment
{
    /// <summary>Environment variable that caps the engine's instruction set (Scalar, Vector256 or Vector512).</summary>
    public const string MaxIsaVariable = "STARNET_MAX_ISA";

    /// <summary>Environment variable with a free-form label for the run (perf/run.sh puts the git commit there).</summary>
    public const string LabelVariable = "STARNET_BENCH_LABEL";

    /// <summary>
    /// True in a <c>--dry</c> run (CI: every case once, in process, no timing). Classes whose cases take seconds use
    /// smaller inputs then: the dry run checks that the code runs, not how fast.
    /// </summary>
    public static bool DryRun { get; set; }

    /// <summary>Load average when the run started (set by the program before it runs anything).</summary>
    public static string? LoadAverageAtStart { get; set; }

    /// <summary>The value of <see cref="MaxIsaVariable"/>, or null when unset or empty.</summary>
    public static string? MaxIsaOverride => Environment.GetEnvironmentVariable(MaxIsaVariable) is { Length: > 0 } v ? v : null;

    /// <summary>Parses <see cref="MaxIsaVariable"/>; null when unset, an error message in <paramref name="error"/> when invalid.</summary>
    public static InstructionSet? ParseMaxIsa(out string? error)
    {
        error = null;
        string? value = MaxIsaOverride;
        if (value is null)
        {
            return null;
        }

        if (Enum.TryParse(value, ignoreCase: true, out InstructionSet isa) && Enum.IsDefined(isa))
        {
            return isa;
        }

        error = $"{MaxIsaVariable}='{value}' is not one of {string.Join(", ", Enum.GetNames<InstructionSet>())}.";
        return null;
    }

    /// <summary>Applies <see cref="MaxIsaVariable"/> (invalid values are reported by the program, ignored here).</summary>
    [ModuleInitializer]
    internal static void ApplyMaxIsa()
    {
        if (ParseMaxIsa(out _) is InstructionSet isa)
        {
            LinearAlgebraSettings.MaxInstructionSet = isa;
        }
    }

    /// <summary>The current 1, 5 and 15 minute load averages and the run-queue field of /proc/loadavg, or "unknown".</summary>
    public static string LoadAverageNow()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The CPU model as the kernel reports it (first "model name" of /proc/cpuinfo), or the empty string.</summary>
    public static string CpuModel() => CpuInfoField("model name");

    /// <summary>The SIMD-relevant CPU flags the kernel reports (sse4_2, avx, avx2, fma, avx512*), space separated.</summary>
    public static string SimdFlags()
    {
        string[] flags = CpuInfoField("flags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', flags.Where(f => f is "sse4_2" or "avx" or "avx2" or "fma" || f.StartsWith("avx512", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>Everything the JSON export and the run log carry about the engine and the machine.</summary>
    public static IReadOnlyDictionary<string, object?> Describe() => new Dictionary<string, object?>
    {
        ["EngineDescription"] = LinearAlgebraSettings.Describe(),
        ["HardwareInstructionSet"] = LinearAlgebraSettings.HardwareInstructionSet.ToString(),
        ["ActiveInstructionSet"] = LinearAlgebraSettings.ActiveInstructionSet.ToString(),
        ["MaxInstructionSet"] = LinearAlgebraSettings.MaxInstructionSet.ToString(),
        ["MaxIsaOverride"] = MaxIsaOverride ?? "(unset)",
        ["CpuModel"] = CpuModel(),
        ["CpuSimdFlags"] = SimdFlags(),
        ["LogicalCores"] = Environment.ProcessorCount,
        ["MachineName"] = Environment.MachineName,
        ["LoadAverageAtStart"] = LoadAverageAtStart ?? "unknown",
        ["LoadAverageAtEnd"] = LoadAverageNow(),
        ["Label"] = Environment.GetEnvironmentVariable(LabelVariable) ?? string.Empty,
        ["DotnetIntrinsicsSwitches"] = string.Join(' ', DotnetSwitches()) is { Length: > 0 } switches ? switches : "(none)",
    };

    private static IEnumerable<string> DotnetSwitches() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_Enable", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}");

    private static string CpuInfoField(string name)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim() == name)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return string.Empty;
    }
}
