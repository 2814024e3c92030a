using Xunit.Abstractions;

namespace StarNet.LinearAlgebra.Tests;

/// <summary>Prints which SIMD path this test run takes, so CI logs prove each run exercised the tier it meant to.</summary>
public class EngineInfoTests(ITestOutputHelper output)
{
    [Fact]
    public void Reports_active_instruction_set()
    {
        string line = "SIMD path: " + LinearAlgebraSettings.Describe();
        output.WriteLine(line);
        Console.WriteLine(line);
        string? expected = Environment.GetEnvironmentVariable("STARNET_EXPECT_ISA");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, LinearAlgebraSettings.ActiveInstructionSet.ToString());
        }
    }
}
