using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Cli.Commands;

/// <summary>What a command runs with: its output writers, whether standard output is a terminal, and cancellation.</summary>
/// <param name="Out">Standard output: results and progress.</param>
/// <param name="Err">Standard error: errors and warnings.</param>
/// <param name="IsTerminal">True when <paramref name="Out"/> is an interactive terminal (progress redraws one line); false prints plain lines.</param>
/// <param name="CancellationToken">Cancels long work (Ctrl+C).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Err, bool IsTerminal, CancellationToken CancellationToken)
{
    /// <summary>
    /// The job this process belongs to: one process normally, every rank of <c>mpirun -np N starnet ...</c>
    /// otherwise (see docs/distributed.md).
    /// </summary>
    public ICommunicator Communicator { get; init; } = SingleProcessCommunicator.Instance;

    /// <summary>Writes a warning line to standard error.</summary>
    /// <param name="message">The warning.</param>
    public void Warn(string message) => Err.WriteLine($"starnet: warning: {message}");
}
