using FsCheck;
using FsCheck.Fluent;

namespace StarNet.LinearAlgebra.Tests.Support;

/// <summary>FsCheck generators for kernel tests: sizes biased to vector-width and block boundaries, configs, seeds.</summary>
public static class Generators
{
    /// <summary>Sizes around every vector width (4, 8, 16), micro-tile (4, 6, 12, 16, 32) and block (64, 128) boundary.</summary>
    public static readonly int[] BoundarySizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129];

    public static Gen<int> Size(int max) =>
        Gen.Frequency(
            (3, Gen.Elements(BoundarySizes.Where(s => s <= max).ToArray())),
            (2, Gen.Choose(1, max)));

    public static Gen<KernelConfig> Config =>
        from isa in Gen.Frequency(
            (4, Gen.Constant(LinearAlgebraSettings.HardwareInstructionSet)),
            (2, Gen.Elements(InstructionSet.Scalar, InstructionSet.Vector256)),
            (1, Gen.Constant(InstructionSet.Vector512)))
        from tiny in Gen.Elements(false, true)
        from threads in Gen.Elements(1, 2)
        select new KernelConfig(isa, tiny, threads);

    /// <summary>Largest dimension for a config: emulated tiers (and tiny blocks) get smaller matrices to stay quick.</summary>
    public static int MaxSize(KernelConfig config, int nativeMax) =>
        !config.Native ? 40 : config.TinyBlocks ? Math.Min(nativeMax, 80) : nativeMax;
}
