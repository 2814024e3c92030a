using System.Runtime.InteropServices;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Per-thread, 64-byte-aligned scratch memory for packed GEMM panels. Each calling thread keeps its buffers
/// and grows them on demand, so a warm call allocates nothing. The memory lives as long as the thread.
/// </summary>
internal static unsafe class PackingBuffers
{
    [ThreadStatic]
    private static Buffer? t_a;

    [ThreadStatic]
    private static Buffer? t_b;

    /// <summary>Scratch for the packed A block of at least <paramref name="bytes"/> bytes.</summary>
    public static void* A(nuint bytes) => (t_a ??= new Buffer()).Get(bytes);

    /// <summary>Scratch for the packed B block of at least <paramref name="bytes"/> bytes.</summary>
    public static void* B(nuint bytes) => (t_b ??= new Buffer()).Get(bytes);

    private sealed class Buffer
    {
        private void* _memory;
        private nuint _size;

        ~Buffer()
        {
            NativeMemory.AlignedFree(_memory);
        }

        public void* Get(nuint bytes)
        {
            if (bytes > _size)
            {
                NativeMemory.AlignedFree(_memory);
                _memory = null;
                _size = 0;
                nuint size = Math.Max(bytes, _size * 2);
                _memory = NativeMemory.AlignedAlloc(size, 64);
                _size = size;
            }

            return _memory;
        }
    }
}
