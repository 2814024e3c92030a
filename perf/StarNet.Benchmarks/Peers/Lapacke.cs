namespace StarNet.Benchmarks.Peers;

/// <summary>
/// The LAPACK-layer peers: LAPACKE (geqrf, potrf, potrs, gels) and the CBLAS routines of LAPACK's normal-equations
/// path (syrk, gemm) and of a pseudo-inverse solve (gemv), from the system OpenBLAS, bound at run time through
/// <see cref="OpenBlas"/>. Everything is called on <b>column-major</b> storage, LAPACK's own layout, so the peer pays
/// no layout conversion (LAPACKE's row-major entry points transpose into scratch and back); the benchmarks keep the
/// peer's copy of a matrix in column-major order. The <c>_work</c> entry points are used, with the workspace allocated
/// once (a workspace query in the benchmark's setup), so the peer times neither malloc nor LAPACKE's NaN check.
/// </summary>
public static unsafe class Lapacke
{
    private const int ColMajor = 102;
    private const int CblasColMajor = 102;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;
    private const int CblasUpper = 121;

    /// <summary>True when both LAPACKE and CBLAS could be bound.</summary>
    public static bool IsAvailable => OpenBlas.HasLapacke && OpenBlas.HasBlas;

    /// <summary>Workspace length LAPACKE_xgeqrf_work wants for an m x n matrix (workspace query).</summary>
    public static int GeqrfWorkspace<T>(int m, int n)
        where T : unmanaged
    {
        T tau = default, work = default;
        int info = Geqrf(m, n, null, Math.Max(1, m), &tau, &work, -1);
        Check(info, "geqrf workspace query");
        return Math.Max(1, (int)ToDouble(work));
    }

    /// <summary>LAPACKE_sgeqrf_work / dgeqrf_work on a column-major m x n matrix; returns LAPACK's INFO.</summary>
    public static int Geqrf<T>(int m, int n, T* a, int lda, T* tau, T* work, int lwork)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? ((delegate* unmanaged<int, int, int, float*, int, float*, float*, int, int>)Fn("LAPACKE_sgeqrf_work", lapacke: true))(ColMajor, m, n, (float*)a, lda, (float*)tau, (float*)work, lwork)
            : ((delegate* unmanaged<int, int, int, double*, int, double*, double*, int, int>)Fn("LAPACKE_dgeqrf_work", lapacke: true))(ColMajor, m, n, (double*)a, lda, (double*)tau, (double*)work, lwork);

    /// <summary>LAPACKE_spotrf_work / dpotrf_work, upper triangle of a column-major matrix (the lower triangle of the same symmetric matrix stored row-major); returns INFO.</summary>
    public static int Potrf<T>(int n, T* a, int lda)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? ((delegate* unmanaged<int, byte, int, float*, int, int>)Fn("LAPACKE_spotrf_work", lapacke: true))(ColMajor, (byte)'U', n, (float*)a, lda)
            : ((delegate* unmanaged<int, byte, int, double*, int, int>)Fn("LAPACKE_dpotrf_work", lapacke: true))(ColMajor, (byte)'U', n, (double*)a, lda);

    /// <summary>LAPACKE_spotrs_work / dpotrs_work with the upper Cholesky factor, column-major; returns INFO.</summary>
    public static int Potrs<T>(int n, int nrhs, T* a, int lda, T* b, int ldb)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? ((delegate* unmanaged<int, byte, int, int, float*, int, float*, int, int>)Fn("LAPACKE_spotrs_work", lapacke: true))(ColMajor, (byte)'U', n, nrhs, (float*)a, lda, (float*)b, ldb)
            : ((delegate* unmanaged<int, byte, int, int, double*, int, double*, int, int>)Fn("LAPACKE_dpotrs_work", lapacke: true))(ColMajor, (byte)'U', n, nrhs, (double*)a, lda, (double*)b, ldb);

    /// <summary>Workspace length LAPACKE_xgels_work wants (workspace query).</summary>
    public static int GelsWorkspace<T>(int m, int n, int nrhs)
        where T : unmanaged
    {
        T work = default;
        int info = Gels<T>(m, n, nrhs, null, Math.Max(1, m), null, Math.Max(1, Math.Max(m, n)), &work, -1);
        Check(info, "gels workspace query");
        return Math.Max(1, (int)ToDouble(work));
    }

    /// <summary>LAPACKE_sgels_work / dgels_work ('N': min ||A X - B||, A m x n, m &gt;= n, B m x nrhs), column-major; returns INFO. X is B's first n rows.</summary>
    public static int Gels<T>(int m, int n, int nrhs, T* a, int lda, T* b, int ldb, T* work, int lwork)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? ((delegate* unmanaged<int, byte, int, int, int, float*, int, float*, int, float*, int, int>)Fn("LAPACKE_sgels_work", lapacke: true))(ColMajor, (byte)'N', m, n, nrhs, (float*)a, lda, (float*)b, ldb, (float*)work, lwork)
            : ((delegate* unmanaged<int, byte, int, int, int, double*, int, double*, int, double*, int, int>)Fn("LAPACKE_dgels_work", lapacke: true))(ColMajor, (byte)'N', m, n, nrhs, (double*)a, lda, (double*)b, ldb, (double*)work, lwork);

    /// <summary>cblas_ssyrk / dsyrk: the upper triangle of C := A^T A (A column-major m x n, C n x n).</summary>
    public static void GramUpper<T>(int m, int n, T* a, int lda, T* c, int ldc)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            ((delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void>)Fn("cblas_ssyrk", lapacke: false))(
                CblasColMajor, CblasUpper, CblasTrans, n, m, 1f, (float*)a, lda, 0f, (float*)c, ldc);
        }
        else
        {
            ((delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Fn("cblas_dsyrk", lapacke: false))(
                CblasColMajor, CblasUpper, CblasTrans, n, m, 1.0, (double*)a, lda, 0.0, (double*)c, ldc);
        }
    }

    /// <summary>cblas_sgemm / dgemm: C := A^T B (A column-major m x n, B m x k, C n x k).</summary>
    public static void TransposeTimes<T>(int m, int n, int k, T* a, int lda, T* b, int ldb, T* c, int ldc)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            ((delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Fn("cblas_sgemm", lapacke: false))(
                CblasColMajor, CblasTrans, CblasNoTrans, n, k, m, 1f, (float*)a, lda, (float*)b, ldb, 0f, (float*)c, ldc);
        }
        else
        {
            ((delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Fn("cblas_dgemm", lapacke: false))(
                CblasColMajor, CblasTrans, CblasNoTrans, n, k, m, 1.0, (double*)a, lda, (double*)b, ldb, 0.0, (double*)c, ldc);
        }
    }

    /// <summary>cblas_sgemv / dgemv: y := P x for a column-major rows x cols matrix P.</summary>
    public static void Gemv<T>(int rows, int cols, T* p, int ldp, T* x, T* y)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            ((delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Fn("cblas_sgemv", lapacke: false))(
                CblasColMajor, CblasNoTrans, rows, cols, 1f, (float*)p, ldp, (float*)x, 1, 0f, (float*)y, 1);
        }
        else
        {
            ((delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Fn("cblas_dgemv", lapacke: false))(
                CblasColMajor, CblasNoTrans, rows, cols, 1.0, (double*)p, ldp, (double*)x, 1, 0.0, (double*)y, 1);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, nint> s_exports = new();

    /// <summary>An export, looked up once (dlsym costs about a microsecond, the size of the smallest timed call).</summary>
    private static nint Fn(string name, bool lapacke) =>
        s_exports.GetOrAdd(name, static (n, l) => l ? OpenBlas.Lapacke(n) : OpenBlas.Blas(n), lapacke);

    private static double ToDouble<T>(T value)
        where T : unmanaged => typeof(T) == typeof(float) ? *(float*)&value : *(double*)&value;

    /// <summary>Throws when a LAPACK routine returned a non-zero INFO (a broken benchmark, not a timing).</summary>
    public static void Check(int info, string what)
    {
        if (info != 0)
        {
            throw new InvalidOperationException($"LAPACKE {what} returned INFO = {info}.");
        }
    }
}
