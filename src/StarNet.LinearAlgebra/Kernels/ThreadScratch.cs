using System.Runtime.InteropServices;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Per-thread, 64-byte-aligned scratch memory in named slots, grown on demand and kept for the thread's
/// lifetime, so that warm kernel calls allocate nothing. A slot must not be used by two kernels that are
/// active at the same time on one thread; each kernel owns its slot.
/// </summary>
internal static unsafe class ThreadScratch
{
    /// <summary>Slot of the TRSM transposition buffer.</summary>
    public const int Trsm = 1;

    /// <summary>First slot free for the factorizations.</summary>
    public const int FirstLapackSlot = 4;

    private const int SlotCount = 17;

    [ThreadStatic]
    private static Slot[]? t_slots;

    /// <summary>A buffer of at least <paramref name="count"/> elements in <paramref name="slot"/>; contents are undefined.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="slot">Slot index, 0 to 15.</param>
    /// <param name="count">Elements needed.</param>
    public static T* Get<T>(int slot, nint count)
        where T : unmanaged
    {
        t_slots ??= new Slot[SlotCount];
        Slot s = t_slots[slot] ??= new Slot();
        return (T*)s.Get((nuint)(count * sizeof(T)));
    }

    private sealed class Slot
    {
        private void* _memory;
        private nuint _size;

        ~Slot()
        {
            NativeMemory.AlignedFree(_memory);
        }

        public void* Get(nuint bytes)
        {
            if (bytes > _size)
            {
                nuint size = Math.Max(bytes, _size * 2);
                NativeMemory.AlignedFree(_memory);
                _memory = null;
                _size = 0;
                _memory = NativeMemory.AlignedAlloc(size, 64);
                _size = size;
            }

            return _memory;
        }
    }
}
