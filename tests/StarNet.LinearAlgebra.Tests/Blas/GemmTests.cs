using StarNet.LinearAlgebra.Tests.Support;

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

    [Theory]
    [InlineData(InstructionSet.Scalar)]
    [InlineData(InstructionSet.Vector256)]
    [InlineData(InstructionSet.Vector512)]
    public void Small_M_products_split_by_columns_equal_one_thread_bitwise(InstructionSet isa)
    {
        // A small M (one block of A for all threads, e.g. W = V^T C of a block reflector) takes the column split,
        // where each thread packs A and its own part of B; the bits must be those of one thread, with A transposed
        // or not, beta 0 or 1, and N not a multiple of the micro-panel width.
        var rng = new Random(3);
        foreach ((int m, int n, int k, bool transA, float beta) in new[] { (5, 193, 2100, true, 1f), (40, 97, 1100, false, 0f), (64, 193, 720, true, 1f), (64, 64, 720, false, 1f) })
        {
            var a = transA ? new Matrix<float>(k, m) : new Matrix<float>(m, k);
            var b = new Matrix<float>(k, n);
            var c0 = new Matrix<float>(m, n);
            foreach (Matrix<float> x in new[] { a, b, c0 })
            {
                foreach (ref float v in x.Span)
                {
                    v = (float)(rng.NextDouble() - 0.5);
                }
            }

            Matrix<float> c1 = Matrix<float>.CopyOf(c0.AsReadOnlySpan()), c2 = Matrix<float>.CopyOf(c0.AsReadOnlySpan());
            MatrixOp op = transA ? MatrixOp.Transpose : MatrixOp.None;
            using (new KernelConfig(isa, TinyBlocks: false, Threads: 1).Apply())
            {
                LinearAlgebra.Blas.Gemm(-1f, a.AsReadOnlySpan(), op, b.AsReadOnlySpan(), MatrixOp.None, beta, c1.AsSpan());
            }

            using (new KernelConfig(isa, TinyBlocks: false, Threads: 2).Apply())
            {
                LinearAlgebra.Blas.Gemm(-1f, a.AsReadOnlySpan(), op, b.AsReadOnlySpan(), MatrixOp.None, beta, c2.AsSpan());
            }

            Assert.True(c1.ToArray().AsSpan().SequenceEqual(c2.ToArray()), $"{isa} m={m} n={n} k={k} transA={transA} beta={beta}: two threads differ from one");
        }
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
