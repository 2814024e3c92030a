using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_values()
    {
        Assert.Equal(0xCBF43926U, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0U, Crc32.Compute([]));
        Assert.Equal(0xAE426082U, Crc32.Compute("IEND"u8)); // the CRC every PNG ends with
    }

    [Property]
    public Property Agrees_with_a_bitwise_crc_and_extends_across_splits() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Gen.Choose(0, 100).ToArbitrary(), (bytes, cut) =>
        {
            int split = Math.Min(cut, bytes.Length);
            uint whole = Crc32.Compute(bytes);
            return whole == PngFile.BitwiseCrc32(bytes)
                && whole == Crc32.Append(Crc32.Compute(bytes.AsSpan(0, split)), bytes.AsSpan(split));
        });
}
