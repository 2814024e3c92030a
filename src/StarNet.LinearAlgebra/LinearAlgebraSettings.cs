using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra;

/// <summary>
/// Process-wide engine settings, with per-thread scoped overrides for tests and embedders
/// (<see cref="Override(InstructionSet?, GemmBlockSizes?, int?)"/>).
/// </summary>
public static class LinearAlgebraSettings
{
    private static int s_degreeOfParallelism = Environment.ProcessorCount;
    private static InstructionSet s_maxInstructionSet = InstructionSet.Vector512;

    [ThreadStatic]
    private static Scope? t_scope;

    /// <summary>The widest instruction set the hardware and the runtime accelerate.</summary>
    public static InstructionSet HardwareInstructionSet { get; } =
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? InstructionSet.Vector512
        : System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported ? InstructionSet.Vector256
        : Vector512.IsHardwareAccelerated ? InstructionSet.Vector512
        : Vector256.IsHardwareAccelerated ? InstructionSet.Vector256
        : InstructionSet.Scalar;

    /// <summary>
    /// The widest instruction set the kernels may use (default <see cref="InstructionSet.Vector512"/>); the
    /// kernels use the narrower of this and <see cref="HardwareInstructionSet"/>.
    /// </summary>
    public static InstructionSet MaxInstructionSet
    {
        get => s_maxInstructionSet;
        set => s_maxInstructionSet = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), $"Unknown instruction set {value}.");
    }

    /// <summary>The instruction set the kernels use on this thread now.</summary>
    public static InstructionSet ActiveInstructionSet
    {
        get
        {
            InstructionSet max = t_scope?.InstructionSet ?? s_maxInstructionSet;
            if (t_scope?.IgnoreHardware == true)
            {
                return max;
            }

            return max < HardwareInstructionSet ? max : HardwareInstructionSet;
        }
    }

    /// <summary>
    /// Default number of threads a level-3 kernel may use (default: all logical processors). Results do not
    /// depend on it: work is partitioned so that every output element is computed by one thread in a fixed order.
    /// </summary>
    public static int DegreeOfParallelism
    {
        get => t_scope?.DegreeOfParallelism ?? s_degreeOfParallelism;
        set => s_degreeOfParallelism = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), $"Degree of parallelism must be at least 1, got {value}.");
    }

    /// <summary>GEMM block sizes forced on this thread by an <see cref="Override(InstructionSet?, GemmBlockSizes?, int?)"/> scope, or null for the tuned defaults.</summary>
    public static GemmBlockSizes? GemmBlockSizesOverride => t_scope?.BlockSizes;

    /// <summary>A one-line description of the active configuration, for logs and test output.</summary>
    public static string Describe() =>
        $"hardware={HardwareInstructionSet}, active={ActiveInstructionSet}, Avx512F.IsSupported={System.Runtime.Intrinsics.X86.Avx512F.IsSupported}, " +
        $"Avx2.IsSupported={System.Runtime.Intrinsics.X86.Avx2.IsSupported}, Vector512.IsHardwareAccelerated={Vector512.IsHardwareAccelerated}, " +
        $"Vector256.IsHardwareAccelerated={Vector256.IsHardwareAccelerated}, threads={DegreeOfParallelism}, " +
        $"L2={Kernels.CacheSizes.L2Bytes / 1024} KiB ({(Kernels.CacheSizes.L2Detected ? "sysfs" : "assumed")})";

    /// <summary>
    /// Overrides settings on the calling thread until the returned scope is disposed. Scopes nest. Kernels read
    /// the settings of the thread that calls them, so concurrent tests with different overrides do not interfere.
    /// </summary>
    /// <param name="instructionSet">Widest instruction set to use, or null to keep the current one.</param>
    /// <param name="blockSizes">GEMM block sizes (tiny ones exercise every blocking loop on small matrices), or null.</param>
    /// <param name="degreeOfParallelism">Threads per kernel call, or null.</param>
    /// <returns>A scope that restores the previous settings when disposed.</returns>
    public static IDisposable Override(InstructionSet? instructionSet = null, GemmBlockSizes? blockSizes = null, int? degreeOfParallelism = null) =>
        Override(instructionSet, blockSizes, degreeOfParallelism, ignoreHardware: false);

    /// <summary>
    /// Like <see cref="Override(InstructionSet?, GemmBlockSizes?, int?)"/>, but can force a kernel tier the hardware does
    /// not accelerate (the runtime then emulates its vectors in software: slow, but exact), so that tests check
    /// every kernel's arithmetic on any machine.
    /// </summary>
    internal static IDisposable Override(InstructionSet? instructionSet, GemmBlockSizes? blockSizes, int? degreeOfParallelism, bool ignoreHardware)
    {
        blockSizes?.Validate();
        if (degreeOfParallelism is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), $"Degree of parallelism must be at least 1, got {degreeOfParallelism}.");
        }

        Scope? outer = t_scope;
        var scope = new Scope(
            outer,
            instructionSet ?? outer?.InstructionSet,
            blockSizes ?? outer?.BlockSizes,
            degreeOfParallelism ?? outer?.DegreeOfParallelism,
            ignoreHardware || (outer?.IgnoreHardware ?? false));
        t_scope = scope;
        return scope;
    }

    private sealed class Scope(Scope? outer, InstructionSet? instructionSet, GemmBlockSizes? blockSizes, int? degreeOfParallelism, bool ignoreHardware) : IDisposable
    {
        public bool IgnoreHardware { get; } = ignoreHardware;

        public InstructionSet? InstructionSet { get; } = instructionSet;

        public GemmBlockSizes? BlockSizes { get; } = blockSizes;

        public int? DegreeOfParallelism { get; } = degreeOfParallelism;

        public void Dispose()
        {
            if (t_scope == this)
            {
                t_scope = outer;
            }
        }
    }
}
