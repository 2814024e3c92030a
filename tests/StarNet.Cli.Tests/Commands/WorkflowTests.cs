using StarNet.Cli.Tests.Support;
using StarNet.Core.Tests.Data.Support;

namespace StarNet.Cli.Tests.Commands;

/// <summary>Every subcommand on every dataset format (small files written by the tests), on the bundled sample, and on the real datasets when present.</summary>
public sealed class WorkflowTests
{
    [Theory]
    [MemberData(nameof(SmallDatasets.Formats), MemberType = typeof(SmallDatasets))]
    public void Every_subcommand_works_on_a_small_dataset_of_each_format(string format)
    {
        using var temp = new TempFolder();
        string data = SmallDatasets.Write(temp.Path, format);
        Workflow.RunAll(data, temp.Path, "ff:4,8");
    }

    [Fact]
    public void Every_subcommand_works_on_the_bundled_sample() =>
        RunOnFolder(SharedData.Sample, "--samples", "300");

    [Theory]
    [InlineData("conv:mnist-single")]
    [InlineData("conv:mnist")]
    [InlineData("ff:64+conv:2/k7/u2/full")]
    public void Every_subcommand_works_for_conv_and_mixed_networks_on_the_bundled_sample(string arch)
    {
        using var temp = new TempFolder();
        Workflow.RunAll(SharedData.Sample, temp.Path, arch, "--samples", "300", "--conv-subset", "50", "--subset-count", "2");
    }

    [SharedDataFact("mnist")]
    public void Every_subcommand_works_on_real_mnist() => RunOnFolder(SharedData.PathOf("mnist"), "--samples", "2000");

    [SharedDataFact("fashion-mnist")]
    public void Every_subcommand_works_on_real_fashion_mnist() => RunOnFolder(SharedData.PathOf("fashion-mnist"), "--samples", "2000");

    [SharedDataFact("cifar10")]
    public void Every_subcommand_works_on_real_cifar10() => RunOnFolder(SharedData.PathOf("cifar10"), "--samples", "1000");

    private static void RunOnFolder(string data, params string[] extra)
    {
        using var temp = new TempFolder();
        Workflow.RunAll(data, temp.Path, "ff:16,32", extra);
    }
}
