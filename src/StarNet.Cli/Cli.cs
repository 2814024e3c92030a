using System.Reflection;
using System.Text;
using StarNet.Cli.Commands;
using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Cli;

/// <summary>
/// The <c>starnet</c> command-line tool as a function: parses the arguments, runs a subcommand, and turns every
/// failure into one line <c>starnet: error: ...</c> on standard error and an exit code (2 for a wrong command
/// line, 1 for a failure of the work, 130 when interrupted); a stack trace only with <c>--verbose</c>.
/// </summary>
/// <remarks>Tests call <see cref="Run(string[], TextWriter, TextWriter)"/> in-process; <c>Program.Main</c> passes the console.</remarks>
public static class Cli
{
    private const string VerboseOption = "--verbose";

    private static readonly Command[] Commands =
    [
        new TrainCommand(),
        new ReconstructCommand(),
        new EncodeCommand(),
        new SampleCommand(),
        new ScoreCommand(),
        new InfoCommand(),
        new DataFetchCommand(),
        new DataInfoCommand(),
    ];

    /// <summary>The names of every subcommand, as typed after <c>starnet</c>.</summary>
    public static IReadOnlyList<string> CommandNames => [.. Commands.Select(c => c.Name)];

    /// <summary>Runs the tool with output that is not a terminal (plain progress lines) and no cancellation.</summary>
    /// <param name="args">The command line after <c>starnet</c>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, isTerminal: false, CancellationToken.None);

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command line after <c>starnet</c>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="isTerminal">True when standard output is an interactive terminal, so progress redraws one line.</param>
    /// <param name="cancellationToken">Cancels long work.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal, CancellationToken cancellationToken) =>
        Run(args, stdout, stderr, isTerminal, SingleProcessCommunicator.Instance, cancellationToken);

    /// <summary>
    /// Runs the tool as one rank of a distributed job (<c>mpirun -np N starnet ...</c>): commands that support it
    /// split their work over the ranks, and only rank 0 prints results and writes files. A failure that the ranks
    /// agreed on (<see cref="RankFailedException"/>) is reported by every rank, which then exit together; any other
    /// failure of one rank is reported by it and stops the job (MPI_Abort), since the others may be waiting for it.
    /// </summary>
    /// <param name="args">The command line after <c>starnet</c>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="isTerminal">True when standard output is an interactive terminal.</param>
    /// <param name="communicator">The job.</param>
    /// <param name="cancellationToken">Cancels long work.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal, ICommunicator communicator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(communicator);
        var context = new CliContext(stdout, stderr, isTerminal, cancellationToken) { Communicator = communicator };
        int end = Array.IndexOf(args, "--");
        bool verbose = Array.FindIndex(args, a => a == VerboseOption) is int v && v >= 0 && (end < 0 || v < end);
        string[] rest = verbose ? [.. args.Where((a, i) => a != VerboseOption || (end >= 0 && i > end))] : args;
        try
        {
            return Dispatch(rest, context);
        }
        catch (UsageException e)
        {
            return Fail(context, e, ExitCodes.Usage, verbose: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("starnet: interrupted");
            return ExitCodes.Cancelled;
        }
        catch (RankFailedException e) when (communicator.Size > 1)
        {
            // Every rank knows and reports; meet once more so that no rank's exit ends another before it has spoken.
            int code = Fail(context, e, ExitCodes.Failure, verbose);
            stderr.Flush();
            communicator.Barrier();
            return code;
        }
        catch (Exception e)
        {
            int code = Fail(context, e, ExitCodes.Failure, verbose);
            if (communicator.Size > 1)
            {
                // The other ranks may be waiting for this one in a collective: stop the whole job.
                stdout.Flush();
                stderr.Flush();
                communicator.Abort(code);
            }

            return code;
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>One line that says what went wrong: the innermost useful message, without the parameter suffix of argument exceptions.</summary>
    /// <param name="e">The failure.</param>
    /// <returns>The message on one line.</returns>
    internal static string OneLine(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && e.InnerException is not null)
        {
            e = e.InnerException!;
        }

        string message = e is ArgumentException { ParamName: { } name } a
            ? a.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : e.Message;
        if (e is HttpRequestException { InnerException: { } inner } && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message = $"{message} ({inner.Message})";
        }

        if (e is OutOfMemoryException)
        {
            message = "out of memory; try fewer samples (--samples) or a smaller architecture";
        }

        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static int Dispatch(string[] args, CliContext context)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" && args.Length == 1)
        {
            context.Out.Write(MainHelp());
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Success;
        }

        if (args[0] is "--version")
        {
            context.Out.WriteLine($"starnet {typeof(Cli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}");
            return ExitCodes.Success;
        }

        bool helpVerb = args[0] == "help";
        string[] words = helpVerb ? args[1..] : args;
        (Command? command, int used) = Find(words);
        if (command is null)
        {
            string[] group = [.. Commands.Where(c => c.Name.StartsWith(words[0] + " ", StringComparison.Ordinal)).Select(c => c.Name)];
            if (group.Length > 0)
            {
                if (words.Length == 1 || words[1] is "-h" or "--help")
                {
                    context.Out.Write(GroupHelp(words[0]));
                    return words.Length == 1 ? ExitCodes.Usage : ExitCodes.Success;
                }

                throw new UsageException($"unknown command 'starnet {words[0]} {words[1]}'; known: {string.Join(", ", group.Select(g => $"'{g}'"))}");
            }

            throw new UsageException($"unknown command '{words[0]}' (see 'starnet --help')");
        }

        if (helpVerb)
        {
            context.Out.Write(command.Help());
            return ExitCodes.Success;
        }

        if (context.Communicator.Size > 1 && command is not (TrainCommand or EncodeCommand))
        {
            throw new UsageException($"'starnet {command.Name}' runs on one process; under mpirun only 'train' and 'encode' split their work (run it without mpirun)");
        }

        return command.Run(words[used..], context);
    }

    private static (Command? Command, int Used) Find(string[] words)
    {
        if (words.Length >= 2 && Commands.FirstOrDefault(c => c.Name == $"{words[0]} {words[1]}") is { } two)
        {
            return (two, 2);
        }

        return (Commands.FirstOrDefault(c => c.Name == words[0]), 1);
    }

    private static string MainHelp()
    {
        var text = new StringBuilder();
        text.AppendLine("starnet: train deep generative decoders without gradients, by layer-wise least squares (StarNet).");
        text.AppendLine();
        text.AppendLine("usage: starnet COMMAND [options]    (starnet COMMAND --help for its options)");
        text.AppendLine();
        text.AppendLine("commands:");
        int width = Commands.Max(c => c.Name.Length);
        foreach (Command c in Commands)
        {
            text.Append("  ").Append(c.Name.PadRight(width)).Append("  ").AppendLine(c.Summary);
        }

        text.AppendLine();
        text.AppendLine("global options: --verbose (show the stack trace of a failure), --version, --help");
        text.AppendLine();
        text.AppendLine("first run:");
        text.AppendLine("  starnet train --data data/sample/mnist --arch ff:128,256 --report report");
        return text.ToString();
    }

    private static string GroupHelp(string group)
    {
        var text = new StringBuilder();
        text.Append("usage: starnet ").Append(group).AppendLine(" SUBCOMMAND [options]").AppendLine().AppendLine("subcommands:");
        Command[] members = [.. Commands.Where(c => c.Name.StartsWith(group + " ", StringComparison.Ordinal))];
        int width = members.Max(c => c.Name.Length);
        foreach (Command c in members)
        {
            text.Append("  ").Append(c.Name.PadRight(width)).Append("  ").AppendLine(c.Summary);
        }

        return text.ToString();
    }

    private static int Fail(CliContext context, Exception e, int code, bool verbose)
    {
        context.Out.Flush();
        string rank = context.Communicator.Size > 1 ? $" (rank {context.Communicator.Rank} of {context.Communicator.Size})" : string.Empty;
        context.Err.WriteLine($"starnet: error{rank}: {OneLine(e)}");
        if (verbose)
        {
            context.Err.WriteLine(e.ToString());
        }

        return code;
    }
}
