namespace StarNet.LinearAlgebra.Tests.Blas;

public class GemmTests
{
    [Fact]
    public void Shape_mismatch_names_operands_and_shapes()
    {
        var a = new Matrix<double>(3, 4);
        var b = new Matrix<double>(5, 2);
        var c = new Matrix<double>(3, 2);
        var ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Blas.Gemm(1.0, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.None, 0.0, c.AsSpan()));
        Assert.Contains("op(A) is 3x4", ex.Message);
        Assert.Contains("op(B) is 5x2", ex.Message);
        Assert.Contains("C is 3x2", ex.Message);
    }

    [Fact]
    public void Output_overlapping_an_input_is_rejected()
    {
        var a = new Matrix<float>(8, 8);
        var ex = Assert.Throws<ArgumentException>(() => LinearAlgebra.Blas.Gemm(1f, a.AsReadOnlySpan(), MatrixOp.None, a.AsReadOnlySpan(), MatrixOp.None, 0f, a.AsSpan()));
        Assert.Contains("overlaps input A", ex.Message);
    }

    [Fact]
    public void Interleaved_column_blocks_of_one_matrix_do_not_count_as_overlap()
    {
        var m = Matrix<double>.FromRowMajor([1, 2, 10, 20, 3, 4, 30, 40], 2, 4);
        var id = Matrix<double>.FromRowMajor([1, 0, 0, 1], 2, 2);
        // Right half := left half * I, in the same storage.
        LinearAlgebra.Blas.Gemm(1.0, m.Slice(0, 0, 2, 2), MatrixOp.None, id.AsReadOnlySpan(), MatrixOp.None, 0.0, m.Slice(0, 2, 2, 2));
        Assert.Equal(new double[] { 1, 2, 1, 2, 3, 4, 3, 4 }, m.ToArray());
    }

    [Fact]
    public void Results_are_bitwise_identical_for_one_and_two_threads()
    {
        var rng = new Random(5);
        var a = new Matrix<float>(517, 301);
        var b = new Matrix<float>(301, 263);
        foreach (ref float x in a.Span)
        {
            x = (float)rng.NextDouble();
        }

        foreach (ref float x in b.Span)
        {
            x = (float)rng.NextDouble();
        }

        var c1 = new Matrix<float>(517, 263);
        var c2 = new Matrix<float>(517, 263);
        using (LinearAlgebraSettings.Override(degreeOfParallelism: 1))
        {
            LinearAlgebra.Blas.Gemm(1f, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.None, 0f, c1.AsSpan());
        }

        using (LinearAlgebraSettings.Override(degreeOfParallelism: 2))
        {
            LinearAlgebra.Blas.Gemm(1f, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.None, 0f, c2.AsSpan());
        }

        Assert.Equal(c1.ToArray(), c2.ToArray());
    }

    [Fact]
    public void Warm_single_threaded_call_allocates_nothing()
    {
        var a = new Matrix<double>(200, 150);
        var b = new Matrix<double>(150, 120);
        var c = new Matrix<double>(200, 120);
        using (LinearAlgebraSettings.Override(degreeOfParallelism: 1))
        {
            Assert.Equal(0, SteadyStateAllocation.Fewest(() => LinearAlgebra.Blas.Gemm(1.0, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.None, 0.0, c.AsSpan()), callsPerWindow: 1));
        }
    }

    [Fact]
    public void Empty_and_zero_depth_products_scale_C()
    {
        var a = new Matrix<double>(3, 0);
        var b = new Matrix<double>(0, 2);
        var c = Matrix<double>.FromRowMajor([1, 2, 3, 4, 5, double.NaN], 3, 2);
        LinearAlgebra.Blas.Gemm(1.0, a.AsReadOnlySpan(), MatrixOp.None, b.AsReadOnlySpan(), MatrixOp.None, 0.0, c.AsSpan());
        Assert.All(c.ToArray(), v => Assert.Equal(0.0, v));
    }
}
