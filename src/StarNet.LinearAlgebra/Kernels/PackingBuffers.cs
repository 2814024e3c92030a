namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Per-thread, 64-byte-aligned scratch for packed GEMM panels (two <see cref="ThreadScratch"/> slots). Each
/// calling thread keeps its buffers and grows them on demand, so a warm call allocates nothing.
/// </summary>
internal static unsafe class PackingBuffers
{
    private const int SlotA = 2;
    private const int SlotB = 3;

    /// <summary>Scratch for the packed A block of at least <paramref name="bytes"/> bytes.</summary>
    public static void* A(nuint bytes) => ThreadScratch.Get<byte>(SlotA, (nint)bytes);

    /// <summary>Scratch for the packed B block of at least <paramref name="bytes"/> bytes.</summary>
    public static void* B(nuint bytes) => ThreadScratch.Get<byte>(SlotB, (nint)bytes);
}
