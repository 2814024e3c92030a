using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StarNet.Data;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files. Reading accepts format versions 1.0, 2.0 and 3.0, the ten
/// integer and float types of <see cref="NumericType"/> in either byte order, and Fortran-order arrays
/// (turned into C order). Writing produces version 1.0 (2.0 for very long headers), native byte order,
/// C order, and is atomic: a temporary file in the same folder is moved over the destination.
/// </summary>
public static class NpyFile
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Reads only the header of a <c>.npy</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="InvalidDataException">The file is malformed, or its length does not match the header.</exception>
    public static NpyHeader ReadHeader(string path)
    {
        using DataFile file = DataFile.Open(path);
        return NpyHeader.Read(file);
    }

    /// <summary>Reads a whole <c>.npy</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The array, in C order and host byte order.</returns>
    /// <exception cref="InvalidDataException">The file is malformed (checked before the data is allocated).</exception>
    public static NpyArray Read(string path, CancellationToken cancellationToken = default)
    {
        using DataFile file = DataFile.Open(path);
        NpyHeader header = NpyHeader.Read(file);
        int count = DataErrors.CheckedElements(path, header.Count, 1, "elements");
        NpyArray array = NpyArray.FromFile(NumericConversion.NewArray(header.ElementType, count), header.ElementType, header.Shape);
        long bytes = header.DataBytes;
        for (long offset = 0; offset < bytes; offset += ChunkBytes)
        {
            ReadData(file, header, array.RawBytes(offset, (int)Math.Min(ChunkBytes, bytes - offset)), cancellationToken);
        }

        return header.FortranOrder && header.Shape.Count > 1 ? ToCOrder(array, header) : array;
    }

    /// <summary>Writes an array atomically.</summary>
    /// <param name="path">The destination; replaced when it exists.</param>
    /// <param name="array">The array.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind then.</param>
    public static void Write(string path, NpyArray array, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(array);
        var header = new NpyHeader(array.ElementType, array.Shape);
        using var writer = new AtomicFileWriter(path);
        writer.Stream.Write(header.Format());
        for (long offset = 0, bytes = header.DataBytes; offset < bytes; offset += ChunkBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.Stream.Write(array.RawBytes(offset, (int)Math.Min(ChunkBytes, bytes - offset)));
        }

        writer.Commit();
    }

    /// <summary>Writes <paramref name="data"/> with the given shape atomically, in C order.</summary>
    /// <typeparam name="T">One of byte, sbyte, ushort, short, uint, int, ulong, long, float, double.</typeparam>
    /// <param name="path">The destination; replaced when it exists.</param>
    /// <param name="data">The elements in C order.</param>
    /// <param name="shape">The dimensions; their product must be <c>data.Length</c>.</param>
    /// <exception cref="ArgumentException">The shape does not match the length.</exception>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind then.</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not supported.</exception>
    public static void Write<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<int> shape, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        NpyArray.CheckShape(data.Length, shape);
        var header = new NpyHeader(NumericConversion.TypeOf<T>(), shape.ToArray());
        using var writer = new AtomicFileWriter(path);
        writer.Stream.Write(header.Format());
        int chunk = ChunkBytes / Unsafe.SizeOf<T>();
        for (int i = 0; i < data.Length; i += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.Stream.Write(MemoryMarshal.AsBytes(data.Slice(i, Math.Min(chunk, data.Length - i))));
        }

        writer.Commit();
    }

    /// <summary>Opens a file and reads its header; the reader is left at the first data byte.</summary>
    /// <param name="path">The file.</param>
    /// <param name="header">The header.</param>
    /// <returns>The open reader.</returns>
    internal static DataFile OpenData(string path, out NpyHeader header)
    {
        DataFile file = DataFile.Open(path);
        try
        {
            header = NpyHeader.Read(file);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next <c>destination.Length</c> data bytes and puts them in host byte order.</summary>
    /// <param name="file">The reader, inside the data.</param>
    /// <param name="header">The file's header.</param>
    /// <param name="destination">A whole number of elements.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    internal static void ReadData(DataFile file, NpyHeader header, Span<byte> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.ReadExactly(destination, "the array data");
        if (header.IsBigEndian == BitConverter.IsLittleEndian)
        {
            StarNet.IO.ByteOrder.ReverseElements(destination, NumericConversion.SizeOf(header.ElementType));
        }
    }

    /// <summary>Copies a Fortran-order array into a new C-order array of the same shape.</summary>
    private static NpyArray ToCOrder(NpyArray fortran, NpyHeader header)
    {
        int rank = header.Shape.Count;
        int size = NumericConversion.SizeOf(header.ElementType);
        var strides = new long[rank];
        strides[0] = 1;
        for (int k = 1; k < rank; k++)
        {
            strides[k] = strides[k - 1] * header.Shape[k - 1];
        }

        Array result = NumericConversion.NewArray(header.ElementType, fortran.Count);
        ref byte source = ref MemoryMarshal.GetArrayDataReference(fortran.Data);
        ref byte target = ref MemoryMarshal.GetArrayDataReference(result);
        var index = new int[rank];
        long from = 0;
        for (long i = 0; i < fortran.Count; i++)
        {
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref target, (nint)(i * size)), ref Unsafe.Add(ref source, (nint)(from * size)), (uint)size);

            // Advance the C-order index (last axis fastest) and follow it in Fortran strides.
            for (int k = rank - 1; k >= 0; k--)
            {
                index[k]++;
                from += strides[k];
                if (index[k] < header.Shape[k])
                {
                    break;
                }

                from -= strides[k] * header.Shape[k];
                index[k] = 0;
            }
        }

        return NpyArray.FromFile(result, header.ElementType, header.Shape);
    }
}
