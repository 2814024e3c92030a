namespace StarNet.LinearAlgebra;

/// <summary>The SIMD instruction-set tiers the kernels are written for, from narrowest to widest.</summary>
public enum InstructionSet
{
    /// <summary>Portable scalar code; runs everywhere, including with hardware intrinsics disabled.</summary>
    Scalar = 0,

    /// <summary>256-bit vectors (AVX2 + FMA on x64).</summary>
    Vector256 = 1,

    /// <summary>512-bit vectors (AVX-512F on x64).</summary>
    Vector512 = 2,
}
