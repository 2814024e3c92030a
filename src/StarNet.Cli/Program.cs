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

        return Cli.Run(args, Console.Out, Console.Error, isTerminal: !Console.IsOutputRedirected, cancel.Token);
    }
}
