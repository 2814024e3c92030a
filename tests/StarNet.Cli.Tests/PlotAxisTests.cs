using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StarNet.Cli.Report;

namespace StarNet.Cli.Tests;

public sealed class PlotAxisTests
{
    [Fact]
    public void Linear_ticks_are_nice_values_covering_the_data()
    {
        PlotAxis axis = PlotAxis.Linear(0.13, 0.97);
        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], axis.Ticks, new ToleranceComparer(1e-12));
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], axis.Ticks.Select(axis.Format));
        Assert.Equal(0.5, axis.Fraction(0.5), 12);
    }

    [Fact]
    public void Linear_axis_widens_a_single_value_and_survives_bad_input()
    {
        PlotAxis single = PlotAxis.Linear(5, 5);
        Assert.True(single.Min < 5 && single.Max > 5);
        PlotAxis bad = PlotAxis.Linear(double.NaN, 1);
        Assert.Equal((0.0, 1.0), (bad.Min, bad.Max));
        Assert.Equal("2e6", PlotAxis.Linear(0, 3e6).Format(2e6));
    }

    [Fact]
    public void Log_axis_has_decade_ticks_minor_ticks_and_short_labels()
    {
        PlotAxis axis = PlotAxis.Log10(3e-4, 0.7);
        Assert.True(axis.Logarithmic);
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1.0], axis.Ticks, new ToleranceComparer(1e-15));
        Assert.Equal(["1e-4", "0.001", "0.01", "0.1", "1"], axis.Ticks.Select(axis.Format));
        Assert.Contains(axis.MinorTicks, t => Math.Abs(t - 0.02) < 1e-12);
        Assert.Equal(0.5, axis.Fraction(1e-2), 12);
        Assert.True(double.IsNaN(axis.Fraction(0)));
    }

    [Fact]
    public void Log_axis_over_many_decades_thins_its_labels()
    {
        PlotAxis axis = PlotAxis.Log10(1e-20, 1);
        Assert.InRange(axis.Ticks.Count, 2, 11);
        Assert.Empty(axis.MinorTicks);

        PlotAxis extreme = PlotAxis.Log10(double.Epsilon, double.MaxValue);
        Assert.True(extreme.Min > 0 && double.IsFinite(extreme.Max));
        Assert.All(extreme.Ticks, t => Assert.InRange(extreme.Fraction(t), 0, 1));
        Assert.Equal(2, PlotAxis.Log10(1e-320, 1e-320).Ticks.Count);
    }

    [Property(MaxTest = 200)]
    public Property Linear_axis_contains_the_range_with_evenly_spaced_ticks() =>
        Prop.ForAll(Gen.Choose(-1_000_000, 1_000_000).Two().Select(p => (p.Item1 / 997.0, p.Item2 / 13.0)).ToArbitrary(), pair =>
        {
            (double lo, double hi) = pair.Item1 <= pair.Item2 ? pair : (pair.Item2, pair.Item1);
            PlotAxis axis = PlotAxis.Linear(lo, hi);
            double step = axis.Ticks[1] - axis.Ticks[0];
            Assert.True(axis.Min <= lo && axis.Max >= hi, $"[{axis.Min}, {axis.Max}] covers [{lo}, {hi}]");
            Assert.InRange(axis.Ticks.Count, 2, 16);
            Assert.All(axis.Ticks.Zip(axis.Ticks.Skip(1)), p => Assert.Equal(step, p.Second - p.First, step * 1e-6));
        });

    [Property(MaxTest = 300)]
    public Property Any_pair_of_doubles_gives_a_usable_axis() =>
        Prop.ForAll(ArbMap.Default.ArbFor<double>(), ArbMap.Default.ArbFor<double>(), (a, b) =>
        {
            PlotAxis axis = PlotAxis.Linear(Math.Min(a, b), Math.Max(a, b));
            Assert.True(double.IsFinite(axis.Min) && double.IsFinite(axis.Max) && axis.Min < axis.Max, $"[{axis.Min}, {axis.Max}]");
            Assert.InRange(axis.Ticks.Count, 2, 16);
            Assert.All(axis.Ticks, t => Assert.InRange(axis.Fraction(t), -1e-9, 1 + 1e-9));
        });

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
