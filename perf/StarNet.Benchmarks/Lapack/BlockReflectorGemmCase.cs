using System.Numerics;
using StarNet.Benchmarks.Peers;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Lapack;

/// <summary>
/// The two GEMMs of applying a block reflector in a blocked Householder QR (dlarfb): V is the m x k panel of
/// reflectors and C the m x n columns to its right, both inside one row-major m x (k + n) matrix (row stride k + n);
/// W is k x n. <c>Update</c>: C -= V W (the trailing update, M = m, K = k); otherwise W := V^T C (M = k, K = m).
/// The shapes that dominate a tall-skinny QR: m = 60000, k = a panel width, n = the columns left of it.
/// Ours through <c>Blas.Gemm</c>, the peer through <c>cblas_sgemm/dgemm</c> on the same row-major storage.
/// </summary>
internal sealed unsafe class BlockReflectorGemmCase<T> : IBenchmarkCase
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _m, _n, _k;
    private readonly bool _peer, _update;
    private readonly Matrix<T> _a, _w;

    public BlockReflectorGemmCase(int m, int n, int k, bool update, bool peer)
    {
        (_m, _n, _k, _update, _peer) = (m, n, k, update, peer);
        _a = LapackBenchmarkData.Random<T>(m, k + n, seed: 5);
        _w = LapackBenchmarkData.Random<T>(k, n, seed: 6);
    }

    public void Run()
    {
        T alpha = _update ? -T.One : T.One, beta = _update ? T.One : T.Zero;
        if (!_peer)
        {
            if (_update)
            {
                Blas.Gemm(alpha, _a.Slice(0, 0, _m, _k), MatrixOp.None, _w.AsReadOnlySpan(), MatrixOp.None, beta, _a.Slice(0, _k, _m, _n));
            }
            else
            {
                Blas.Gemm(alpha, _a.Slice(0, 0, _m, _k), MatrixOp.Transpose, _a.Slice(0, _k, _m, _n), MatrixOp.None, beta, _w.AsSpan());
            }

            return;
        }

        fixed (T* a = _a.Span, w = _w.Span)
        {
            T* v = a, c = a + _k;
            int lda = _a.Stride, ldw = _w.Stride;
            if (typeof(T) == typeof(float))
            {
                if (_update)
                {
                    OpenBlas.Sgemm(false, false, _m, _n, _k, -1f, (float*)v, lda, (float*)w, ldw, 1f, (float*)c, lda);
                }
                else
                {
                    OpenBlas.Sgemm(true, false, _k, _n, _m, 1f, (float*)v, lda, (float*)c, lda, 0f, (float*)w, ldw);
                }
            }
            else if (_update)
            {
                OpenBlas.Dgemm(false, false, _m, _n, _k, -1.0, (double*)v, lda, (double*)w, ldw, 1.0, (double*)c, lda);
            }
            else
            {
                OpenBlas.Dgemm(true, false, _k, _n, _m, 1.0, (double*)v, lda, (double*)c, lda, 0.0, (double*)w, ldw);
            }
        }
    }
}
