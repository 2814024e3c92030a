using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using StarNet.LinearAlgebra.Threading;

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

        // Tall copies (the leaves of a 60000-row QR) are split between threads by rows: one core's outstanding
        // misses do not fill the memory bandwidth.
        int threads = Math.Min(Math.Max(1, rows / MinRowsPerThread), Math.Min(LinearAlgebraSettings.DegreeOfParallelism, WorkerPool.Shared.MaxThreads));
        fixed (T* ps = &Guard.Ref(source), pd = &Guard.Ref(destination))
        {
            var ctx = new CopyContext
            {
                Source = (byte*)ps, SourceStride = source.Stride * sizeof(T), Destination = (byte*)pd, DestinationStride = destination.Stride * sizeof(T),
                Rows = rows, Bytes = cols * sizeof(T), PadBytes = (destination.Cols - cols) * sizeof(T),
            };
            WorkerPool.Shared.Run(threads, &CopyJob, &ctx);
        }
    }

    private static void CopyJob(void* context, int thread, int threads)
    {
        ref CopyContext c = ref Unsafe.AsRef<CopyContext>(context);
        int r0 = (int)((long)c.Rows * thread / threads), r1 = (int)((long)c.Rows * (thread + 1) / threads);
        int bytes = c.Bytes, padBytes = c.PadBytes;
        for (int r = r0; r < r1; r++)
        {
            byte* s = c.Source + (r * c.SourceStride), d = c.Destination + (r * c.DestinationStride);
            if (r + Distance < r1)
            {
                Prefetch(s + (Distance * c.SourceStride), bytes);
                Prefetch(d + (Distance * c.DestinationStride), bytes);
            }

            Buffer.MemoryCopy(s, d, bytes, bytes);
            if (padBytes > 0)
            {
                Unsafe.InitBlockUnaligned(d + bytes, 0, (uint)padBytes);
            }
        }
    }

    /// <summary>Rows per thread's share of a copy, at least.</summary>
    private const int MinRowsPerThread = 4096;

    /// <summary>The operands of one copy, kept on the caller's stack for the workers (byte strides).</summary>
    private struct CopyContext
    {
        public byte* Source;
        public nint SourceStride;
        public byte* Destination;
        public nint DestinationStride;
        public int Rows;
        public int Bytes;
        public int PadBytes;
    }
}
