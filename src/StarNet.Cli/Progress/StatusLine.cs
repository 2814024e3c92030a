using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StarNet.Cli.Progress;

/// <summary>
/// Shows the state of long work. On a terminal one line is redrawn in place with <c>\r</c> (at most every
/// <see cref="RedrawInterval"/>, except for milestones) and ended with a newline on <see cref="Dispose"/>; when
/// output is redirected to a file or pipe, only milestones are written, each as a plain line.
/// </summary>
internal sealed class StatusLine : IDisposable
{
    /// <summary>The least time between two redraws of a non-milestone update on a terminal.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private const int BarWidth = 15;

    private readonly TextWriter output;
    private readonly bool isTerminal;
    private readonly Stopwatch sinceRedraw = Stopwatch.StartNew();
    private int drawnLength;

    /// <summary>Creates a status line on <paramref name="output"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="isTerminal">True to redraw one line; false to write milestones as lines.</param>
    public StatusLine(TextWriter output, bool isTerminal)
    {
        this.output = output;
        this.isTerminal = isTerminal;
    }

    /// <summary>A text progress bar such as <c>[#######........]  45%</c>.</summary>
    /// <param name="fraction">Done so far, in [0, 1] (clamped).</param>
    /// <returns>The bar.</returns>
    public static string Bar(double fraction)
    {
        double f = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        int filled = (int)Math.Round(f * BarWidth);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {f * 100,3:0}%");
    }

    /// <summary>Updates the state.</summary>
    /// <param name="text">The new state, one line.</param>
    /// <param name="milestone">True for an update worth a line of its own in a log (a finished step); false for a passing one (bytes downloaded).</param>
    public void Update(string text, bool milestone)
    {
        if (!isTerminal)
        {
            if (milestone)
            {
                output.WriteLine(text);
            }

            return;
        }

        if (!milestone && sinceRedraw.Elapsed < RedrawInterval)
        {
            return;
        }

        var line = new StringBuilder("\r").Append(text);
        if (text.Length < drawnLength)
        {
            line.Append(' ', drawnLength - text.Length);
        }

        output.Write(line.ToString());
        output.Flush();
        drawnLength = text.Length;
        sinceRedraw.Restart();
    }

    /// <summary>Ends the redrawn line, so that what follows starts on a fresh line.</summary>
    public void Dispose()
    {
        if (isTerminal && drawnLength > 0)
        {
            output.WriteLine();
            drawnLength = 0;
        }
    }
}
