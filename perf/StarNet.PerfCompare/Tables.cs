using System.Globalization;
using System.Text;

namespace StarNet.PerfCompare;

/// <summary>Markdown tables, one per benchmark class and method, with a column per parameter.</summary>
public static class Tables
{
    /// <summary>Writes a Markdown table; columns flagged in <paramref name="rightAlign"/> are right-aligned.</summary>
    public static void Write(TextWriter w, IReadOnlyList<string> headers, IReadOnlyList<bool> rightAlign, IEnumerable<IReadOnlyList<string>> rows)
    {
        List<IReadOnlyList<string>> all = [headers, .. rows];
        int[] widths = [.. Enumerable.Range(0, headers.Count).Select(c => Math.Max(3, all.Max(r => r[c].Length)))];
        string Line(IReadOnlyList<string> r) =>
            "| " + string.Join(" | ", r.Select((cell, c) => rightAlign[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))) + " |";

        w.WriteLine(Line(headers));
        w.WriteLine("|" + string.Join("|", widths.Select((width, c) => rightAlign[c] ? new string('-', width + 1) + ":" : new string('-', width + 2))) + "|");
        foreach (IReadOnlyList<string> r in all.Skip(1))
        {
            w.WriteLine(Line(r));
        }
    }

    /// <summary>
    /// One table per benchmark group (class.method) of <paramref name="items"/>: a heading, the parameter columns of
    /// the group, then the caller's columns.
    /// </summary>
    public static void WriteGrouped<T>(
        TextWriter w,
        IEnumerable<T> items,
        Func<T, BenchmarkResult> benchmarkOf,
        IReadOnlyList<string> headers,
        Func<T, IReadOnlyList<string>> cells)
    {
        foreach (IGrouping<string, T> group in items.GroupBy(i => benchmarkOf(i).Group))
        {
            string[] parameterNames = [.. group.SelectMany(i => benchmarkOf(i).Parameters.Select(p => p.Key)).Distinct()];
            w.WriteLine();
            w.WriteLine("### " + group.Key);
            w.WriteLine();
            Write(
                w,
                [.. parameterNames, .. headers],
                [.. parameterNames.Select(_ => false), .. headers.Select(_ => true)],
                group.Select(i => (IReadOnlyList<string>)[.. parameterNames.Select(n => benchmarkOf(i).Parameter(n) ?? "-"), .. cells(i)]));
        }
    }

    /// <summary>A time in nanoseconds with a unit that keeps three or four significant digits.</summary>
    public static string Time(double ns)
    {
        if (double.IsNaN(ns))
        {
            return "-";
        }

        (double value, string unit) = ns switch
        {
            >= 1e9 => (ns / 1e9, "s"),
            >= 1e6 => (ns / 1e6, "ms"),
            >= 1e3 => (ns / 1e3, "us"),
            _ => (ns, "ns"),
        };
        return Number(value) + " " + unit;
    }

    /// <summary>Three or four significant digits.</summary>
    public static string Number(double v) =>
        double.IsNaN(v) ? "-" : v.ToString(Math.Abs(v) >= 100 ? "F1" : Math.Abs(v) >= 10 ? "F2" : "F3", CultureInfo.InvariantCulture);

    /// <summary>A p-value, with very small ones shown as a bound.</summary>
    public static string P(double p) =>
        double.IsNaN(p) ? "-" : p < 0.001 ? "<0.001" : p.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A byte count (B, KB, MB with 1 KB = 1024 B, as BenchmarkDotNet shows them).</summary>
    public static string Bytes(long? bytes) => bytes switch
    {
        null => "-",
        0 => "-",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => Number(bytes.Value / 1024.0) + " KB",
        _ => Number(bytes.Value / (1024.0 * 1024)) + " MB",
    };

    /// <summary>A relative change as a signed percentage.</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : (fraction >= 0 ? "+" : string.Empty) + (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>A short block of "key: value" lines as a Markdown list.</summary>
    public static string List(IEnumerable<(string Key, string Value)> lines)
    {
        var sb = new StringBuilder();
        foreach ((string key, string value) in lines)
        {
            sb.Append("- ").Append(key).Append(": ").AppendLine(value.Length == 0 ? "(not recorded)" : value);
        }

        return sb.ToString();
    }
}
