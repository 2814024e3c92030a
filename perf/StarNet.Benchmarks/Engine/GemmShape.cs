namespace StarNet.Benchmarks.Engine;

/// <summary>A GEMM problem C (m x n) = op(A) (m x k) B (k x n), named for the benchmark table.</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransA)
{
    public override string ToString() => Name;
}
