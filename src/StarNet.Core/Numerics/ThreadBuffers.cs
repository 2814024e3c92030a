namespace StarNet.Numerics;

/// <summary>
/// Per-thread scratch arrays in numbered slots, grown on demand and kept for the thread's lifetime, so that
/// warm inference calls allocate nothing and many threads can run inference on one model at once. A slot must
/// not be used by two computations that are active at the same time on one thread; <see cref="BufferSlot"/>
/// assigns them.
/// </summary>
/// <typeparam name="T">Element type; each element type has its own slots.</typeparam>
internal static class ThreadBuffers<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]?[]? t_slots;

    /// <summary>The first <paramref name="length"/> elements of slot <paramref name="slot"/>'s array; contents are undefined.</summary>
    /// <param name="slot">A <see cref="BufferSlot"/> constant.</param>
    /// <param name="length">Elements needed.</param>
    public static Span<T> Get(int slot, int length)
    {
        T[]?[] slots = t_slots ??= new T[BufferSlot.Count][];
        T[]? array = slots[slot];
        if (array is null || array.Length < length)
        {
            array = new T[Math.Max(length, (array?.Length ?? 0) * 2)];
            slots[slot] = array;
        }

        return array.AsSpan(0, length);
    }
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
