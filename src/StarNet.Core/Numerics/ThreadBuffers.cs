using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.Numerics;

/// <summary>
/// Per-thread scratch arrays in numbered slots, grown on demand and kept for the thread's lifetime, so that
/// warm inference calls allocate nothing and many threads can run inference on one model at once. A slot must
/// not be used by two computations that are active at the same time on one thread; <see cref="BufferSlot"/>
/// assigns them.
/// </summary>
/// <typeparam name="T">Element type; each element type has its own slots.</typeparam>
internal static unsafe class ThreadBuffers<T>
    where T : unmanaged
{
    /// <summary>Every buffer starts on a 64-byte boundary (see the remarks of <see cref="Get"/>).</summary>
    private const int Alignment = 64;

    [ThreadStatic]
    private static Buffer[]? t_slots;

    /// <summary>The first <paramref name="length"/> elements of slot <paramref name="slot"/>'s buffer; contents are undefined.</summary>
    /// <remarks>
    /// Buffers live on the pinned object heap and start 64-byte aligned, like <c>Matrix&lt;T&gt;</c>: SIMD reductions
    /// (TensorPrimitives aligns its loads to the vector size) then group the same elements together whichever
    /// thread runs and wherever the allocator put the array, so results do not change in the last bit from call
    /// to call.
    /// </remarks>
    /// <param name="slot">A <see cref="BufferSlot"/> constant.</param>
    /// <param name="length">Elements needed.</param>
    public static Span<T> Get(int slot, int length)
    {
        Buffer[] slots = t_slots ??= new Buffer[BufferSlot.Count];
        Buffer b = slots[slot];
        if (b.Array is null || b.Array.Length - b.Offset < length)
        {
            int capacity = Math.Max(length, b.Array is null ? 0 : (b.Array.Length - b.Offset) * 2);
            T[] array = GC.AllocateUninitializedArray<T>(capacity + (Alignment / sizeof(T)), pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            int misalignment = (int)(address & (Alignment - 1));
            b = new Buffer(array, misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(T));
            slots[slot] = b;
        }

        return b.Array.AsSpan(b.Offset, length);
    }

    private readonly record struct Buffer(T[] Array, int Offset);
}

/// <summary>The slots of <see cref="ThreadBuffers{T}"/>, one per concurrently live scratch buffer.</summary>
internal static class BufferSlot
{
    /// <summary>Ping-pong vectors or row blocks of the encoder.</summary>
    public const int EncodeA = 0;

    /// <summary>Second ping-pong buffer of the encoder.</summary>
    public const int EncodeB = 1;

    /// <summary>Layer outputs recomputed for residuals.</summary>
    public const int Residual = 2;

    /// <summary>Ping-pong buffers of the decoder.</summary>
    public const int DecodeA = 3;

    /// <summary>Second ping-pong buffer of the decoder.</summary>
    public const int DecodeB = 4;

    /// <summary>Latents between encoding and decoding (reconstruction, outlier scores).</summary>
    public const int Latent = 5;

    /// <summary>Per-layer residual norms.</summary>
    public const int LayerNorms = 6;

    /// <summary>Number of slots.</summary>
    public const int Count = 7;
}
