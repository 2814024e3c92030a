using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StarNet.IO;

/// <summary>
/// Reads a safetensors file: the header is read and validated in full when the file is opened (before
/// anything large is allocated), and tensors are then read on demand. Reads are positional, so one reader
/// may serve several threads at once.
/// </summary>
/// <remarks>
/// Every problem with the file's content is reported as an <see cref="InvalidDataException"/> whose message
/// names the file, the tensor (where there is one) and the broken rule. See <c>docs/model-files.md</c>.
/// </remarks>
public sealed class SafeTensorsReader : IDisposable
{
    private const int PrefixLength = 8;

    private readonly SafeFileHandle handle;
    private readonly SafeTensorsHeader header;
    private readonly long bufferStart;

    private SafeTensorsReader(string path, SafeFileHandle handle, SafeTensorsHeader header, long bufferStart)
    {
        Path = path;
        this.handle = handle;
        this.header = header;
        this.bufferStart = bufferStart;
    }

    /// <summary>The file's path as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The tensors, in the order their bytes appear in the file (zero-sized ones at the same offset in header order).</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors => header.Tensors;

    /// <summary>The string-to-string <c>__metadata__</c> of the file (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => header.Metadata;

    /// <summary>Opens a file and validates its header.</summary>
    /// <param name="path">The safetensors file.</param>
    /// <returns>A reader that owns an open handle to the file until disposed.</returns>
    /// <exception cref="InvalidDataException">The file breaks a rule of the format.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafeTensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < PrefixLength)
            {
                throw SafeTensorsHeader.Invalid(path, null,
                    $"truncated: the file is {fileLength} bytes, too short for the 8-byte header length");
            }

            Span<byte> prefix = stackalloc byte[PrefixLength];
            ReadExactly(handle, path, null, prefix, 0);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > SafeTensorsHeader.MaxHeaderLength)
            {
                throw SafeTensorsHeader.Invalid(path, null,
                    $"header length {headerLength} is too large (the limit is {SafeTensorsHeader.MaxHeaderLength} bytes)");
            }

            if ((long)headerLength > fileLength - PrefixLength)
            {
                throw SafeTensorsHeader.Invalid(path, null,
                    $"header length {headerLength} is too large: only {fileLength - PrefixLength} bytes follow the length prefix");
            }

            var json = new byte[headerLength];
            ReadExactly(handle, path, null, json, PrefixLength);
            long bufferStart = PrefixLength + (long)headerLength;
            SafeTensorsHeader header = SafeTensorsHeader.Parse(path, json, fileLength - bufferStart);
            return new SafeTensorsReader(path, handle, header, bufferStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor of this name.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns><see langword="true"/> if the header lists it.</returns>
    public bool Contains(string name) => header.ByName.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>Its dtype, shape and offsets.</returns>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    public SafeTensorInfo GetInfo(string name) =>
        TryGetInfo(name, out SafeTensorInfo? info)
            ? info
            : throw new KeyNotFoundException($"'{Path}' holds no tensor named '{name}'.");

    /// <summary>Looks up the header entry of a tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="info">Its entry, when found.</param>
    /// <returns><see langword="true"/> if the file holds the tensor.</returns>
    public bool TryGetInfo(string name, [MaybeNullWhen(false)] out SafeTensorInfo info)
    {
        ArgumentNullException.ThrowIfNull(name);
        return header.ByName.TryGetValue(name, out info);
    }

    /// <summary>
    /// Reads a tensor whose element type is exactly <typeparamref name="T"/> (float for F32, double for F64,
    /// long for I64, int for I32, byte for U8). No conversion happens here: see <see cref="GetTensorAsDouble"/>.
    /// </summary>
    /// <typeparam name="T">The element type matching the tensor's dtype.</typeparam>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The elements in row-major order; the shape is in <see cref="GetInfo"/>.</returns>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    /// <exception cref="InvalidOperationException">The tensor's dtype is not the one of <typeparamref name="T"/>.</exception>
    public T[] GetTensor<T>(string name)
        where T : unmanaged
    {
        SafeTensorInfo info = GetInfo(name);
        T[] values = new T[ArrayLength(info)];
        ReadTensor<T>(info, values);
        return values;
    }

    /// <summary>Reads a tensor if the file holds one of this name; see <see cref="GetTensor{T}"/>.</summary>
    /// <typeparam name="T">The element type matching the tensor's dtype.</typeparam>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements, when found.</param>
    /// <returns><see langword="false"/> if the file holds no tensor of this name.</returns>
    /// <exception cref="InvalidOperationException">The tensor exists but its dtype is not the one of <typeparamref name="T"/>.</exception>
    public bool TryGetTensor<T>(string name, [MaybeNullWhen(false)] out T[] values)
        where T : unmanaged
    {
        if (!TryGetInfo(name, out SafeTensorInfo? info))
        {
            values = null;
            return false;
        }

        values = new T[ArrayLength(info)];
        ReadTensor<T>(info, values);
        return true;
    }

    /// <summary>Reads a tensor into a caller's buffer, avoiding an allocation.</summary>
    /// <typeparam name="T">The element type matching the tensor's dtype.</typeparam>
    /// <param name="name">The tensor's name.</param>
    /// <param name="destination">Exactly <see cref="SafeTensorInfo.ElementCount"/> elements long.</param>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    /// <exception cref="InvalidOperationException">The tensor's dtype is not the one of <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void ReadTensor<T>(string name, Span<T> destination)
        where T : unmanaged => ReadTensor(GetInfo(name), destination);

    /// <summary>
    /// Reads an F32 or F64 tensor as doubles, widening F32 values exactly (NaN stays NaN). This is the only
    /// place a conversion happens, so it is always one the caller asked for.
    /// </summary>
    /// <param name="name">The tensor's name.</param>
    /// <returns>The elements in row-major order.</returns>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    /// <exception cref="InvalidOperationException">The tensor is not F32 or F64.</exception>
    public double[] GetTensorAsDouble(string name)
    {
        SafeTensorInfo info = GetInfo(name);
        switch (info.DType)
        {
            case SafeTensorDType.F64:
                return GetTensor<double>(name);
            case SafeTensorDType.F32:
                float[] singles = GetTensor<float>(name);
                var doubles = new double[singles.Length];
                for (int i = 0; i < singles.Length; i++)
                {
                    doubles[i] = singles[i];
                }

                return doubles;
            default:
                throw new InvalidOperationException(
                    $"Tensor '{name}' in '{Path}' is {info.DType}; only F32 and F64 tensors convert to double.");
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    private void ReadTensor<T>(SafeTensorInfo info, Span<T> destination)
        where T : unmanaged
    {
        SafeTensorDType requested = SafeTensorDTypes.Of<T>();
        if (requested != info.DType)
        {
            throw new InvalidOperationException(
                $"Tensor '{info.Name}' in '{Path}' is {info.DType}, not {requested}; read it as its own type and convert explicitly.");
        }

        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException(
                $"Tensor '{info.Name}' has {info.ElementCount} elements but the destination holds {destination.Length}.",
                nameof(destination));
        }

        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        ReadExactly(handle, Path, info.Name, MemoryMarshal.AsBytes(destination), bufferStart + info.DataBegin);
        LittleEndian.FixUpAfterRead(destination);
    }

    private int ArrayLength(SafeTensorInfo info) =>
        info.ElementCount <= Array.MaxLength
            ? (int)info.ElementCount
            : throw new InvalidOperationException(
                $"Tensor '{info.Name}' in '{Path}' has {info.ElementCount} elements, more than one array holds.");

    private static void ReadExactly(SafeFileHandle handle, string path, string? tensor, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw SafeTensorsHeader.Invalid(path, tensor, $"truncated: the file ended at byte {offset} while reading");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
