using System.Text;

namespace StarNet.Cli.Commands;

/// <summary>
/// One subcommand of <c>starnet</c>: its name, one-line summary, usage line, options and an example (all of which
/// make its <c>--help</c>), and the work it does.
/// </summary>
internal abstract class Command
{
    /// <summary>The name as typed after <c>starnet</c>, e.g. <c>train</c> or <c>data fetch</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what the command does.</summary>
    public abstract string Summary { get; }

    /// <summary>The arguments after the name, e.g. <c>--data PATH --arch ff:W1,W2 [options]</c>.</summary>
    public abstract string Arguments { get; }

    /// <summary>The options, in the order help lists them.</summary>
    public abstract IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Example command lines (without the leading <c>starnet</c>).</summary>
    public abstract IReadOnlyList<string> Examples { get; }

    /// <summary>More lines of help after the options (may be empty).</summary>
    public virtual string Details => string.Empty;

    /// <summary>Most positional arguments the command takes.</summary>
    public virtual int MaxPositionals => 0;

    /// <summary>Parses the arguments and runs the command, or prints its help.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="context">Where output goes, and the cancellation token.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="UsageException">The arguments are wrong.</exception>
    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(Name, args, Options);
        if (parsed.HelpRequested)
        {
            context.Out.Write(Help());
            return ExitCodes.Success;
        }

        parsed.LimitPositionals(MaxPositionals);
        return Execute(parsed, context);
    }

    /// <summary>The command's help text.</summary>
    public string Help()
    {
        var text = new StringBuilder();
        text.Append("starnet ").Append(Name).Append(": ").AppendLine(Summary).AppendLine();
        text.Append("usage: starnet ").Append(Name).Append(' ').AppendLine(Arguments);
        if (Options.Count > 0)
        {
            text.AppendLine().AppendLine("options:");
            int width = Math.Max(Options.Max(o => o.Syntax.Length), "--help".Length);
            foreach (OptionSpec option in Options)
            {
                text.Append("  ").Append(option.Syntax.PadRight(width)).Append("  ").Append(option.Help);
                if (option.Default is not null)
                {
                    text.Append(" (default: ").Append(option.Default).Append(')');
                }

                text.AppendLine();
            }

            text.Append("  ").Append("--help".PadRight(width)).AppendLine("  show this help");
        }

        if (Details.Length > 0)
        {
            text.AppendLine().AppendLine(Details.TrimEnd());
        }

        if (Examples.Count > 0)
        {
            text.AppendLine().AppendLine(Examples.Count == 1 ? "example:" : "examples:");
            foreach (string example in Examples)
            {
                text.Append("  starnet ").AppendLine(example);
            }
        }

        return text.ToString();
    }

    /// <summary>Does the command's work.</summary>
    /// <param name="args">The parsed arguments.</param>
    /// <param name="context">Where output goes, and the cancellation token.</param>
    /// <returns>The exit code.</returns>
    protected abstract int Execute(ParsedArguments args, CliContext context);
}
