using StarNet.Cli.Commands;
using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C asks the work to stop cleanly (partial files are never left: writes are atomic);
            // a second one ends the process.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };

        // Under mpirun this process is one rank of a distributed job (MPI is initialised here and finalised on return);
        // otherwise it is a job of one.
        ICommunicator communicator;
        try
        {
            communicator = Communicators.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"starnet: error: {e.Message}");
            return ExitCodes.Failure;
        }

        using (communicator)
        {
            return Cli.Run(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected, communicator, cancel.Token);
        }
    }
}
