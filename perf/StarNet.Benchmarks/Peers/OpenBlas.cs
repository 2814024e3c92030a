using System.Runtime.InteropServices;

namespace StarNet.Benchmarks.Peers;

/// <summary>
/// The system OpenBLAS (CBLAS) and LAPACKE, bound at run time with <see cref="NativeLibrary.TryLoad(string, out nint)"/>.
/// When a library is absent the peer benchmarks are left out with a message; nothing else depends on them.
/// </summary>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly nint s_blas = Load("libopenblas.so.0", "libopenblas.so", "libcblas.so.3");
    private static readonly nint s_lapacke = Load("liblapacke.so.3", "liblapacke.so");

    /// <summary>True when CBLAS GEMM could be bound.</summary>
    public static bool HasBlas => s_blas != 0;

    /// <summary>True when LAPACKE could be bound.</summary>
    public static bool HasLapacke => s_lapacke != 0;

    /// <summary>Why a peer is missing, for the benchmark log.</summary>
    public static string Status =>
        $"OpenBLAS (libopenblas.so.0): {(HasBlas ? $"found, kernels for {CoreName}" : "NOT FOUND - peer GEMM benchmarks skipped; apt-get install libopenblas-dev")}; " +
        $"LAPACKE (liblapacke.so.3): {(HasLapacke ? "found" : "NOT FOUND - peer LAPACK benchmarks skipped; apt-get install liblapacke-dev")}";

    /// <summary>
    /// The core type whose kernels OpenBLAS chose (openblas_get_corename). A DYNAMIC_ARCH build that does not know
    /// the CPU falls back to an older core: OpenBLAS 0.3.21 runs its Haswell (AVX2) kernels on AMD Zen 5, and
    /// OPENBLAS_CORETYPE=SkylakeX selects its AVX-512 kernels instead (docs/benchmarks.md, "Machine").
    /// </summary>
    public static string CoreName =>
        HasBlas && NativeLibrary.TryGetExport(s_blas, "openblas_get_corename", out nint f)
            ? Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)f)()) ?? "unknown"
            : "unknown";

    /// <summary>Sets OpenBLAS's thread count (it keeps its own pool).</summary>
    public static void SetThreads(int threads)
    {
        if (HasBlas && NativeLibrary.TryGetExport(s_blas, "openblas_set_num_threads", out nint f))
        {
            ((delegate* unmanaged<int, void>)f)(threads);
        }
    }

    /// <summary>cblas_sgemm on row-major storage.</summary>
    public static void Sgemm(bool ta, bool tb, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Export(s_blas, "cblas_sgemm"))(
            RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>cblas_dgemm on row-major storage.</summary>
    public static void Dgemm(bool ta, bool tb, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc) =>
        ((delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Export(s_blas, "cblas_dgemm"))(
            RowMajor, ta ? Trans : NoTrans, tb ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>An exported LAPACKE function, for the factorization benchmarks.</summary>
    public static nint Lapacke(string name) => Export(s_lapacke, name);

    /// <summary>An exported CBLAS function.</summary>
    public static nint Blas(string name) => Export(s_blas, name);

    private static nint Export(nint lib, string name) =>
        lib != 0 && NativeLibrary.TryGetExport(lib, name, out nint f) ? f : throw new InvalidOperationException($"{name} is not available: {Status}");

    private static nint Load(params string[] names)
    {
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, out nint h))
            {
                return h;
            }
        }

        return 0;
    }
}
