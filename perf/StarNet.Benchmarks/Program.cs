using BenchmarkDotNet.Running;
using StarNet.Benchmarks.Peers;

namespace StarNet.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "results")
        {
            Environment.Exit(Model.TrainingRun.Run(args[1..]));
        }

        Console.WriteLine("Peers: " + OpenBlas.Status);
        Console.WriteLine("Engine: " + StarNet.LinearAlgebra.LinearAlgebraSettings.Describe());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
