using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Row-by-row traversal of tall, narrow, strided views with software prefetch a fixed number of rows ahead. A row
/// stride of one to a few KiB (a narrow block of a wide, very tall matrix) defeats the hardware prefetchers, so a
/// plain row loop waits on memory for every row; touching the rows <see cref="Distance"/> ahead keeps enough misses
/// in flight. Prefetching changes no result.
/// </summary>
internal static unsafe class StridedRows
{
    /// <summary>How many rows ahead the loops prefetch.</summary>
    public const int Distance = 16;

    /// <summary>Requests the cache lines of row <paramref name="row"/> (bytes spanning <paramref name="rowBytes"/>) into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* row, int rowBytes)
    {
        if (Sse.IsSupported)
        {
            byte* p = (byte*)row;
            for (int b = 0; b < rowBytes; b += 64)
            {
                Sse.Prefetch0(p + b);
            }

            Sse.Prefetch0(p + rowBytes - 1);
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (same shape), prefetching both ahead.</summary>
    public static void Copy<T>(ReadOnlyMatrixSpan<T> source, MatrixSpan<T> destination)
        where T : unmanaged => CopyPadded(source, destination);

    /// <summary>
    /// Copies <paramref name="source"/> into the first columns of <paramref name="destination"/> (same rows, at least
    /// as many columns) and sets its other columns to zero, prefetching both ahead.
    /// </summary>
    public static void CopyPadded<T>(ReadOnlyMatrixSpan<T> source, MatrixSpan<T> destination)
        where T : unmanaged
    {
        int rows = source.Rows, cols = source.Cols;
        if (rows == 0 || cols == 0)
        {
            return;
        }

        int bytes = cols * sizeof(T), padBytes = (destination.Cols - cols) * sizeof(T);
        nint lds = source.Stride, ldd = destination.Stride;
        fixed (T* ps = &Guard.Ref(source), pd = &Guard.Ref(destination))
        {
            for (int r = 0; r < rows; r++)
            {
                if (r + Distance < rows)
                {
                    Prefetch(ps + ((r + Distance) * lds), bytes);
                    Prefetch(pd + ((r + Distance) * ldd), bytes);
                }

                Buffer.MemoryCopy(ps + (r * lds), pd + (r * ldd), bytes, bytes);
                if (padBytes > 0)
                {
                    Unsafe.InitBlockUnaligned(pd + (r * ldd) + cols, 0, (uint)padBytes);
                }
            }
        }
    }
}
