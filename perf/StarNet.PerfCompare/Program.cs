using System.Globalization;

namespace StarNet.PerfCompare;

/// <summary>
/// <c>compare BASE DIFF</c>: per-benchmark comparison of two BenchmarkDotNet full JSON exports with a Mann-Whitney
/// test and a relative threshold. <c>summary RUN</c>: the Markdown summary of one run.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage:
          StarNet.PerfCompare compare BASE DIFF [--threshold 5%] [--alpha 0.05] [--force] [--out FILE]
          StarNet.PerfCompare summary RUN [--out FILE]
        BASE, DIFF, RUN: a *-report-full.json file or a folder holding them (searched recursively).
        --threshold: relative change that matters, as a percentage (5%) or a fraction (0.05); default 5%.
        --alpha: significance level of each one-sided Mann-Whitney test; default 0.05.
        --force: compare runs from different machines or instruction sets anyway (the report says so loudly).
        --out: also write the Markdown report to FILE.
        exit code: 0 fine; 1 a regression (compare) or a case without result (summary); 2 usage or data error,
        or comparison refused because the runs are not comparable.
        """;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>The whole program with its output streams, for tests.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var positional = new List<string>();
        var options = new ComparisonOptions();
        bool force = false;
        string? outFile = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (a)
            {
                case "--threshold" when next is not null && TryParseFraction(next, out double t) && t is > 0 and < 1:
                    options = options with { Threshold = t };
                    i++;
                    break;
                case "--alpha" when next is not null && double.TryParse(next, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha) && alpha is > 0 and < 1:
                    options = options with { Alpha = alpha };
                    i++;
                    break;
                case "--out" when next is not null:
                    outFile = next;
                    i++;
                    break;
                case "--force":
                    force = true;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal))
                    {
                        return UsageError(stderr, $"unknown or incomplete option '{a}'");
                    }

                    positional.Add(a);
                    break;
            }
        }

        string? command = positional.FirstOrDefault();
        int expected = command switch { "compare" => 3, "summary" => 2, _ => -1 };
        if (expected < 0 || positional.Count != expected)
        {
            return UsageError(stderr, command is null ? "no command" : $"'{command}' with {positional.Count - 1} argument(s)");
        }

        try
        {
            var report = new StringWriter();
            int code = command == "compare"
                ? ComparisonReport.Run(report, ExportReader.Load(positional[1]), ExportReader.Load(positional[2]), options, force)
                : SummaryReport.Write(report, ExportReader.Load(positional[1])) == 0 ? 0 : 1;
            stdout.Write(report.ToString());
            if (outFile is not null)
            {
                File.WriteAllText(outFile, report.ToString());
            }

            return code;
        }
        catch (ExportException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ComparisonReport.Error;
        }
    }

    /// <summary>Parses "5%" as 0.05 and "0.05" as 0.05.</summary>
    public static bool TryParseFraction(string text, out double value)
    {
        bool percent = text.EndsWith('%');
        bool ok = double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        if (ok && percent)
        {
            value /= 100;
        }

        return ok;
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        stderr.WriteLine(Usage);
        return ComparisonReport.Error;
    }
}
