namespace StarNet.LinearAlgebra;

/// <summary>
/// Cache-blocking sizes of the packed GEMM (see docs/engine.md): the packed A block is
/// <see cref="MC"/> x <see cref="KC"/> (meant for L3/L2), the packed B block <see cref="KC"/> x <see cref="NC"/>
/// (meant for L2), and one MR x KC micro-panel of A stays in L1 while the B micro-panels stream past it.
/// Values are rounded up to multiples of the micro-kernel's MR (for MC) and NR (for NC) when used.
/// </summary>
/// <param name="MC">Rows of A packed at once.</param>
/// <param name="KC">Depth (shared dimension) of one packed block.</param>
/// <param name="NC">Columns of B packed at once.</param>
public readonly record struct GemmBlockSizes(int MC, int KC, int NC)
{
    /// <summary>Checks that every size is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public void Validate()
    {
        if (MC < 1 || KC < 1 || NC < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MC), $"GEMM block sizes must be positive, got MC={MC}, KC={KC}, NC={NC}.");
        }
    }
}
