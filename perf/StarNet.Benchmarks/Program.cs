using BenchmarkDotNet.Running;
using StarNet.Benchmarks.Peers;

namespace StarNet.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        Console.WriteLine("Peers: " + OpenBlas.Status);
        Console.WriteLine("Engine: " + StarNet.LinearAlgebra.LinearAlgebraSettings.Describe());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
