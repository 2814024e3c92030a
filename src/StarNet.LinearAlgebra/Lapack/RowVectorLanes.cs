using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// The vector width of a row kernel whose rows are n columns wide (the fused panel leaf, the streamed narrow panel
/// products): the widest the active instruction set has that leaves no more of the n columns outside the kernel's
/// fast part than 256-bit vectors would (n = 24 float stays on three 256-bit vectors rather than one 512-bit vector
/// and eight scalars), so a narrow row never loses vector work to a wider register.
/// </summary>
internal static class RowVectorLanes
{
    /// <summary>
    /// The instruction set for rows of <paramref name="n"/> columns of T, read on the calling thread (workers must be
    /// given the result). The kernel's fast part takes the columns in groups of <paramref name="group"/> vectors (a
    /// register tile two vectors wide: 16 float columns stay on two 256-bit vectors rather than one 512-bit vector
    /// outside the tile) and at most <paramref name="maxVectors"/> vectors per row.
    /// </summary>
    public static InstructionSet For<T>(int n, int group = 1, int maxVectors = int.MaxValue)
        where T : unmanaged
    {
        InstructionSet isa = Widest();
        if (isa == InstructionSet.Vector512 && n >= group * Vector512<T>.Count
            && Leftover(n, group * Vector512<T>.Count, maxVectors / group) <= Leftover(n, group * Vector256<T>.Count, maxVectors / group))
        {
            return InstructionSet.Vector512;
        }

        return isa >= InstructionSet.Vector256 ? InstructionSet.Vector256 : InstructionSet.Scalar;
    }

    /// <summary>The widest instruction set the row kernels use on the calling thread.</summary>
    public static InstructionSet Widest()
    {
        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        return isa >= InstructionSet.Vector512 ? InstructionSet.Vector512 : isa >= InstructionSet.Vector256 && VectorOps.UseVectors ? InstructionSet.Vector256 : InstructionSet.Scalar;
    }

    /// <summary>Elements per vector of the given instruction set (1 for scalar).</summary>
    public static int Count<T>(InstructionSet isa)
        where T : unmanaged =>
        isa >= InstructionSet.Vector512 ? Vector512<T>.Count : isa >= InstructionSet.Vector256 ? Vector256<T>.Count : 1;

    /// <summary>Columns of a row of n past the (at most maxSteps) whole steps of the given width.</summary>
    private static int Leftover(int n, int step, int maxSteps) => n - (Math.Min(n / step, maxSteps) * step);
}
