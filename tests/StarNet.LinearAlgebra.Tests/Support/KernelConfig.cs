namespace StarNet.LinearAlgebra.Tests.Support;

/// <summary>
/// A kernel configuration a property runs under: the instruction-set tier (tiers the hardware lacks are emulated
/// by the runtime, exact but slow), tiny or tuned GEMM block sizes, and the thread count.
/// </summary>
public sealed record KernelConfig(InstructionSet Isa, bool TinyBlocks, int Threads)
{
    public static readonly GemmBlockSizes Tiny = new(MC: 7, KC: 5, NC: 9);

    /// <summary>Whether the tier runs on real hardware here (otherwise sizes are kept small).</summary>
    public bool Native => Isa <= LinearAlgebraSettings.HardwareInstructionSet;

    public IDisposable Apply() =>
        LinearAlgebraSettings.Override(Isa, TinyBlocks ? Tiny : null, Threads, ignoreHardware: true);

    public override string ToString() => $"isa={Isa} native={Native} tinyBlocks={TinyBlocks} threads={Threads}";
}
