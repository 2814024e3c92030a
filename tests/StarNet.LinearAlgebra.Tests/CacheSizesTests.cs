using StarNet.LinearAlgebra.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace StarNet.LinearAlgebra.Tests;

/// <summary>
/// <see cref="CacheSizes"/>: the sysfs size strings, the choice of the level-2 data or unified cache among a cache
/// directory's index folders, and the fallback when there is none or it cannot be parsed.
/// </summary>
public sealed class CacheSizesTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("starnet-cache-").FullName;

    [Theory]
    [InlineData("512K", 512L * 1024)]
    [InlineData("1024K\n", 1024L * 1024)]
    [InlineData("2M", 2L * 1024 * 1024)]
    [InlineData(" 48k ", 48L * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("65536", 65536L)]
    public void Parses_sysfs_sizes(string text, long bytes) => Assert.Equal(bytes, CacheSizes.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("0K")]
    [InlineData("-512K")]
    [InlineData("512KB")]
    [InlineData("1.5M")]
    [InlineData("512T")]
    [InlineData("99999999999999999999K")]
    public void Rejects_malformed_sizes(string text) => Assert.Null(CacheSizes.ParseSize(text));

    [Fact]
    public void Takes_the_level_2_unified_or_data_cache()
    {
        Index("index0", "1", "Data", "32K");
        Index("index1", "1", "Instruction", "32K");
        Index("index2", "2", "Unified", "1024K");
        Index("index3", "3", "Unified", "32768K");
        Assert.Equal(1024L * 1024, CacheSizes.ReadL2Bytes(_root));
    }

    [Fact]
    public void Skips_a_level_2_instruction_cache()
    {
        Index("index0", "2", "Instruction", "64K");
        Index("index1", "2", "Data", "256K");
        Assert.Equal(256L * 1024, CacheSizes.ReadL2Bytes(_root));
    }

    [Fact]
    public void Is_unknown_without_a_level_2_cache_or_with_an_unreadable_size()
    {
        Assert.Null(CacheSizes.ReadL2Bytes(Path.Combine(_root, "missing")));
        Index("index0", "1", "Data", "32K");
        Index("index3", "3", "Unified", "32768K");
        Assert.Null(CacheSizes.ReadL2Bytes(_root));
        Index("index2", "2", "Unified", "lots");
        Assert.Null(CacheSizes.ReadL2Bytes(_root));
    }

    [Fact]
    public void Machine_value_is_the_sysfs_value_or_the_default()
    {
        long? read = CacheSizes.ReadL2Bytes("/sys/devices/system/cpu/cpu0/cache");
        output.WriteLine($"L2: {CacheSizes.L2Bytes} bytes ({(CacheSizes.L2Detected ? "sysfs" : "assumed")})");
        Assert.Equal(read ?? CacheSizes.DefaultL2Bytes, CacheSizes.L2Bytes);
        Assert.Equal(read is not null, CacheSizes.L2Detected);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Index(string name, string level, string type, string size)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "level"), level + "\n");
        File.WriteAllText(Path.Combine(dir, "type"), type + "\n");
        File.WriteAllText(Path.Combine(dir, "size"), size + "\n");
    }
}
