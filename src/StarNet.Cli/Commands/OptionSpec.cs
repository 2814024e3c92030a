namespace StarNet.Cli.Commands;

/// <summary>One option a command accepts: <c>--name VALUE</c>, or a flag when <see cref="ValueName"/> is null.</summary>
/// <param name="Name">The option's name without the leading dashes, e.g. <c>epochs</c>.</param>
/// <param name="ValueName">What the value is called in help (<c>N</c>, <c>PATH</c>), or null for a flag.</param>
/// <param name="Help">One line of help.</param>
/// <param name="Default">The default shown in help, or null.</param>
/// <param name="Repeatable">True when the option may be given more than once.</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Help, string? Default = null, bool Repeatable = false)
{
    /// <summary>True for a flag (an option without a value).</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>How the option is written in help: <c>--epochs N</c> or <c>--verbose</c>.</summary>
    public string Syntax => IsFlag ? $"--{Name}" : $"--{Name} {ValueName}";
}
