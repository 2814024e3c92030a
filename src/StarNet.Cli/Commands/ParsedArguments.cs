using System.Globalization;

namespace StarNet.Cli.Commands;

/// <summary>
/// A command's arguments after parsing: the options by name and the positional arguments, with typed getters
/// that turn a bad value into a <see cref="UsageException"/> naming the option.
/// </summary>
/// <remarks>
/// Accepted syntax: <c>--name VALUE</c>, <c>--name=VALUE</c>, flags <c>--name</c>, positional arguments anywhere,
/// and <c>--</c> to end the options (everything after it is positional). A value may start with a dash
/// (<c>--seed -1</c> is read as the value -1 and then rejected by the getter, not as an unknown option).
/// </remarks>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> flags = new(StringComparer.Ordinal);
    private readonly List<string> positionals = [];
    private readonly string command;

    private ParsedArguments(string command, IReadOnlyList<string> original)
    {
        this.command = command;
        Original = original;
    }

    /// <summary>The arguments as given (after the command name).</summary>
    public IReadOnlyList<string> Original { get; }

    /// <summary>The positional arguments, in order.</summary>
    public IReadOnlyList<string> Positionals => positionals;

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Parses <paramref name="args"/> against <paramref name="options"/>.</summary>
    /// <param name="command">The command's name, for messages (<c>train</c>, <c>data fetch</c>).</param>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="options">The options the command accepts.</param>
    /// <returns>The parsed arguments.</returns>
    /// <exception cref="UsageException">An unknown option, a missing value, a value given to a flag, or a repeated option.</exception>
    public static ParsedArguments Parse(string command, IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options)
    {
        var parsed = new ParsedArguments(command, [.. args]);
        var specs = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        bool optionsEnded = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (optionsEnded || arg == "-" || !arg.StartsWith('-'))
            {
                parsed.positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (arg is "-h" or "--help")
            {
                parsed.HelpRequested = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option '{arg}' for 'starnet {command}' (options start with --; see 'starnet {command} --help')");
            }

            string name = arg[2..];
            string? inline = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!specs.TryGetValue(name, out OptionSpec? spec))
            {
                throw new UsageException($"unknown option '--{name}' for 'starnet {command}' (see 'starnet {command} --help')");
            }

            if (spec.IsFlag)
            {
                if (inline is not null)
                {
                    throw new UsageException($"option --{name} takes no value");
                }

                parsed.flags.Add(name);
                continue;
            }

            string value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option --{name} needs a value ({spec.ValueName})"));
            if (!parsed.values.TryGetValue(name, out List<string>? list))
            {
                parsed.values[name] = list = [];
            }
            else if (!spec.Repeatable)
            {
                throw new UsageException($"option --{name} is given more than once");
            }

            list.Add(value);
        }

        return parsed;
    }

    /// <summary>True when flag <paramref name="name"/> was given.</summary>
    public bool Flag(string name) => flags.Contains(name);

    /// <summary>True when option <paramref name="name"/> was given a value.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>The value of option <paramref name="name"/>, or null.</summary>
    public string? String(string name) => values.TryGetValue(name, out List<string>? list) ? list[0] : null;

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out List<string>? list) ? list : [];

    /// <summary>The value of a required option.</summary>
    /// <exception cref="UsageException">The option is missing or empty.</exception>
    public string Required(string name, string valueName)
    {
        string? value = String(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException(value is null
                ? $"'starnet {command}' needs --{name} {valueName} (see 'starnet {command} --help')"
                : $"option --{name} needs a non-empty value ({valueName})");
        }

        return value;
    }

    /// <summary>The value of a whole-number option in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    /// <exception cref="UsageException">The value is not a whole number in range.</exception>
    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            throw new UsageException($"option --{name}: '{text}' is not a whole number");
        }

        return value >= min && value <= max ? value : throw new UsageException($"option --{name}: {value} is out of range ({RangeText(min, max)})");
    }

    /// <summary>The value of a non-negative 64-bit option (seeds), or null when absent.</summary>
    /// <exception cref="UsageException">The value is not a non-negative whole number.</exception>
    public ulong? UInt64(string name)
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new UsageException($"option --{name}: '{text}' is not a non-negative whole number");
    }

    /// <summary>The value of a finite real option in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    /// <exception cref="UsageException">The value is not a finite number in range.</exception>
    public double? Double(string name, double min = double.MinValue, double max = double.MaxValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new UsageException($"option --{name}: '{text}' is not a number");
        }

        return value >= min && value <= max ? value : throw new UsageException($"option --{name}: {text} is out of range ({RangeText(min, max)})");
    }

    /// <summary>The value of an option that must be one of <paramref name="choices"/> (case-insensitive), or null when absent.</summary>
    /// <exception cref="UsageException">The value is not one of the choices.</exception>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices)
        where T : struct
    {
        string? text = String(name);
        if (text is null)
        {
            return null;
        }

        foreach ((string key, T value) in choices)
        {
            if (string.Equals(key, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new UsageException($"option --{name}: '{text}' is not one of {string.Join(", ", choices.Keys)}");
    }

    /// <summary>Fails when more positional arguments were given than <paramref name="max"/>.</summary>
    /// <exception cref="UsageException">Too many positional arguments.</exception>
    public void LimitPositionals(int max)
    {
        if (positionals.Count > max)
        {
            throw new UsageException($"unexpected argument '{positionals[max]}' for 'starnet {command}' (see 'starnet {command} --help')");
        }
    }

    private static string RangeText(double min, double max) =>
        (min > double.MinValue / 2, max < double.MaxValue / 2) switch
        {
            (true, true) => $"{Format(min)} to {Format(max)}",
            (true, false) => $"at least {Format(min)}",
            (false, true) => $"at most {Format(max)}",
            _ => "any",
        };

    private static string RangeText(int min, int max) =>
        RangeText(min == int.MinValue ? double.MinValue : min, max == int.MaxValue ? double.MaxValue : max);

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
