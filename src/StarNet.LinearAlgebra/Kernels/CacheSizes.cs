using System.Globalization;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The per-core second-level cache of this machine, read once from Linux's sysfs
/// (<c>/sys/devices/system/cpu/cpu0/cache/index*/</c>, the level-2 data or unified cache), for the blocking choices
/// that depend on whether a matrix stays in it. Where the size cannot be read (another operating system, a container
/// that hides sysfs) it is <see cref="DefaultL2Bytes"/>.
/// </summary>
internal static class CacheSizes
{
    /// <summary>The size assumed when it cannot be read: 512 KiB, the smallest per-core L2 of the x86 cores with AVX2 we measured on (Zen 3).</summary>
    public const long DefaultL2Bytes = 512 * 1024;

    private const string SysfsCacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    private static readonly long? s_l2Read = ReadL2Bytes(SysfsCacheDirectory);

    /// <summary>Bytes of the per-core second-level cache (<see cref="DefaultL2Bytes"/> when unknown).</summary>
    public static long L2Bytes => s_l2Read ?? DefaultL2Bytes;

    /// <summary>Whether <see cref="L2Bytes"/> was read from the machine rather than assumed.</summary>
    public static bool L2Detected => s_l2Read is not null;

    /// <summary>
    /// The level-2 data or unified cache size under a sysfs cache directory (its <c>index*</c> folders each hold
    /// <c>level</c>, <c>type</c> and <c>size</c>), or null when there is none or it cannot be read or parsed.
    /// </summary>
    public static long? ReadL2Bytes(string cacheDirectory)
    {
        try
        {
            if (!Directory.Exists(cacheDirectory))
            {
                return null;
            }

            foreach (string index in Directory.EnumerateDirectories(cacheDirectory, "index*").Order(StringComparer.Ordinal))
            {
                string level = File.ReadAllText(Path.Combine(index, "level")).Trim();
                string type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (level == "2" && (type == "Unified" || type == "Data"))
                {
                    return ParseSize(File.ReadAllText(Path.Combine(index, "size")));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// A sysfs cache size ("512K", "1024K", "2M", or plain bytes) in bytes, or null when it is not one: empty,
    /// not a whole number, not positive, or an unknown suffix.
    /// </summary>
    public static long? ParseSize(string text)
    {
        string s = text.Trim();
        long unit = 1;
        if (s.Length > 0 && char.ToUpperInvariant(s[^1]) is 'K' or 'M' or 'G')
        {
            unit = char.ToUpperInvariant(s[^1]) switch { 'K' => 1024L, 'M' => 1024L * 1024, _ => 1024L * 1024 * 1024 };
            s = s[..^1];
        }

        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 && value <= long.MaxValue / unit
            ? value * unit
            : null;
    }
}
