using StarNet.LinearAlgebra;
using Xunit;

namespace StarNet.LinearAlgebra.Tests.Matrices;

/// <summary>Views with no columns or no rows: every whole-view operation must work on them (they arise as edge blocks).</summary>
public sealed class EmptyViewTests
{
    [Fact]
    public void ColumnlessSliceSupportsRowsFillAndCopy()
    {
        var m = new Matrix<double>(7, 5);
        MatrixSpan<double> empty = m.AsSpan().Slice(0, 5, 7, 0);
        Assert.Equal(7, empty.Rows);
        Assert.Equal(0, empty.Cols);
        Assert.Equal(0, empty.Row(6).Length);
        empty.Fill(3.0);
        empty.Clear();
        Assert.Empty(empty.ToArray());
        Assert.Equal(0, empty.AsReadOnly().Row(6).Length);
        Assert.All(m.AsSpan().ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void ColumnlessMatrixSupportsFill()
    {
        var m = new Matrix<float>(7, 0);
        m.AsSpan().Fill(1f);
        Assert.Equal(0, m.AsReadOnlySpan().Row(3).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.AsReadOnlySpan().Row(7));
    }
}
