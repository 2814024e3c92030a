using System.Globalization;

namespace StarNet.Cli.Report;

/// <summary>
/// One axis of a chart: its range, whether it is logarithmic (base 10), its labelled ticks at "nice"
/// values (1, 2 or 5 times a power of ten; whole decades on a log axis) and unlabelled minor ticks.
/// </summary>
public sealed class PlotAxis
{
    private const int TargetTicks = 5;
    private const int MaxDecadeTicks = 8;

    private PlotAxis(bool logarithmic, double min, double max, double[] ticks, double[] minorTicks, Func<double, string> format)
    {
        Logarithmic = logarithmic;
        Min = min;
        Max = max;
        Ticks = ticks;
        MinorTicks = minorTicks;
        this.format = format;
    }

    private readonly Func<double, string> format;

    /// <summary>Whether positions are proportional to log10 of the value.</summary>
    public bool Logarithmic { get; }

    /// <summary>The value at the low end of the axis.</summary>
    public double Min { get; }

    /// <summary>The value at the high end of the axis.</summary>
    public double Max { get; }

    /// <summary>The labelled tick values, ascending, all within [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Unlabelled tick values between the labelled ones (2..9 times each decade on a log axis).</summary>
    public IReadOnlyList<double> MinorTicks { get; }

    /// <summary>A linear axis covering [<paramref name="dataMin"/>, <paramref name="dataMax"/>], widened to nice tick values.</summary>
    /// <param name="dataMin">The smallest value to show.</param>
    /// <param name="dataMax">The largest value to show.</param>
    /// <returns>The axis.</returns>
    public static PlotAxis Linear(double dataMin, double dataMax)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax) || dataMin > dataMax)
        {
            (dataMin, dataMax) = (0, 1);
        }

        if (dataMin == dataMax)
        {
            double pad = Math.Abs(dataMin) * 0.1;
            pad = double.IsNormal(pad) ? pad : 1;
            (dataMin, dataMax) = (Math.Max(-double.MaxValue, dataMin - pad), Math.Min(double.MaxValue, dataMax + pad));
        }

        // Divide before subtracting so that spans near ±double.MaxValue stay finite.
        double step = NiceStep((dataMax / TargetTicks) - (dataMin / TargetTicks));
        double low = Math.Max(-double.MaxValue, Math.Floor(dataMin / step) * step);
        double high = Math.Min(double.MaxValue, Math.Ceiling(dataMax / step) * step);
        int count = (int)Math.Round((high / step) - (low / step));
        var ticks = new double[count + 1];
        for (int i = 0; i <= count; i++)
        {
            double t = Math.Min(high, low + (i * step));
            ticks[i] = Math.Abs(t) < step * 1e-9 ? 0 : t;
        }

        bool scientific = Math.Max(Math.Abs(low), Math.Abs(high)) >= 1e6 || step < 1e-4;
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 10);
        string pattern = scientific ? "0.##e0" : "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return new PlotAxis(false, low, high, ticks, [], v => v.ToString(pattern, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A base-10 logarithmic axis covering [<paramref name="dataMin"/>, <paramref name="dataMax"/>] (both
    /// positive), widened to whole decades.
    /// </summary>
    /// <param name="dataMin">The smallest positive value to show.</param>
    /// <param name="dataMax">The largest value to show.</param>
    /// <returns>The axis.</returns>
    public static PlotAxis Log10(double dataMin, double dataMax)
    {
        if (!(dataMin > 0) || !double.IsFinite(dataMax) || dataMin > dataMax)
        {
            (dataMin, dataMax) = (1, 10);
        }

        // Stay within the decades a double holds as a normal number.
        int low = Math.Max(-307, (int)Math.Floor(Math.Log10(dataMin)));
        int high = Math.Min(308, (int)Math.Ceiling(Math.Log10(dataMax)));
        if (high <= low)
        {
            high = low + 1;
        }

        int stride = Math.Max(1, (int)Math.Ceiling((high - low) / (double)MaxDecadeTicks));
        var ticks = new List<double>();
        var minor = new List<double>();
        for (int k = low; k <= high; k++)
        {
            if ((k - low) % stride == 0)
            {
                ticks.Add(Math.Pow(10, k));
            }

            for (int m = 2; k < high && stride == 1 && m <= 9; m++)
            {
                minor.Add(m * Math.Pow(10, k));
            }
        }

        return new PlotAxis(true, Math.Pow(10, low), Math.Pow(10, high), [.. ticks], [.. minor], FormatDecade);
    }

    /// <summary>The position of <paramref name="value"/> along the axis: 0 at <see cref="Min"/>, 1 at <see cref="Max"/>.</summary>
    /// <param name="value">A data value.</param>
    /// <returns>The fraction, outside [0, 1] for values off the axis; NaN for values a log axis cannot show.</returns>
    public double Fraction(double value) =>
        Logarithmic
            ? value > 0 ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min)) : double.NaN
            : ((value / 2) - (Min / 2)) / ((Max / 2) - (Min / 2));

    /// <summary>The label of a tick value.</summary>
    /// <param name="value">A value from <see cref="Ticks"/>.</param>
    /// <returns>Its text, e.g. <c>0.25</c>, <c>1e-5</c>.</returns>
    public string Format(double value) => format(value);

    private static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double residual = rough / magnitude;
        double nice = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10;
        return nice * magnitude;
    }

    private static string FormatDecade(double value)
    {
        int k = (int)Math.Round(Math.Log10(value));
        return k is >= -3 and <= 4
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : "1e" + k.ToString(CultureInfo.InvariantCulture);
    }
}
