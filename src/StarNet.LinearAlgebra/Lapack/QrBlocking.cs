using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Block sizes of the Householder QR (LAPACK's ILAENV NB for dgeqrf): the panel width NB of the blocked outer loop
/// (each panel's T is kept for applying Q later) and the leaf width of the recursive panel factorization. Tests
/// shrink them through <see cref="Override"/> so every blocking loop and edge runs on small matrices.
/// </summary>
/// <param name="PanelWidth">Columns per panel of the blocked loop (NB).</param>
/// <param name="LeafWidth">Columns per leaf of the recursive panel factorization.</param>
/// <param name="Unblocked">
/// Whether the whole matrix is factored by <see cref="UnblockedHouseholderQr"/> (small matrices; the panel width
/// still sets the layout of the block T factors kept for applying Q).
/// </param>
internal readonly record struct QrBlocking(int PanelWidth, int LeafWidth, bool Unblocked = false)
{
    /// <summary>
    /// Most columns of a matrix the default blocking factors unblocked, double. Measured on the Zen 5 machine
    /// against the blocked path (docs/lapack.md): ahead up to 256 columns within <see cref="UnblockedMaxBytes"/>
    /// (512 x 256 5%, 640 x 200 9%), on par at 400 x 300.
    /// </summary>
    public const int UnblockedMaxColsDouble = 256;

    /// <summary>
    /// Most columns of a matrix the default blocking factors unblocked, float: 29% ahead of the blocked path at
    /// 784 x 257, 10-12% at 700 x 320 and 784 x 320, on par at 600 x 384 and behind at 512 x 512 (docs/lapack.md).
    /// </summary>
    public const int UnblockedMaxColsFloat = 320;

    /// <summary>
    /// Largest matrix (m n elements times the element size) the default blocking factors unblocked: the 1 MiB
    /// second-level cache of the Zen 5 machine, which holds the matrix through its k sweeps. Measured on it against
    /// the blocked path (docs/lapack.md): faster up to 784 x 320 float (980 KiB) and 512 x 256 double, on par at
    /// 384 x 384 float, behind at 1024 x 320 float and 784 x 256 double (1.2-1.6 MiB). Taller matrices are left to
    /// the blocked path with its tall-skinny panels.
    /// </summary>
    public const int UnblockedMaxBytes = 1024 * 1024;

    [ThreadStatic]
    private static QrBlocking? t_override;

    /// <summary>The block sizes for an m x n factorization in element type T on this thread.</summary>
    public static QrBlocking For<T>(int m, int n)
        where T : unmanaged
    {
        if (t_override is { } forced)
        {
            return forced;
        }

        // Leaves four 256-bit vectors wide (16 double or 32 float, two cache lines per row): the fused kernel keeps
        // its accumulators in registers up to that width, and wider leaves mean fewer small GEMMs in the panel
        // recursion. Panels of 64 columns balance the panel work (which grows with the panel width) against the
        // trailing-update GEMMs (whose inner dimension it is).
        // Very tall matrices took 128-column panels while the narrow steps of the panel recursion were packed GEMMs;
        // with those steps streamed (StreamedReflectors) 64 is faster there too (60000 x 257 and 60000 x 129, float
        // and double: 15-20% less time than 128, same process, interleaved; docs/lapack.md).
        int leaf = Math.Min(QrPanelFactorization.MaxLeafWidth, 4 * Vector256<byte>.Count / Unsafe.SizeOf<T>());
        int maxCols = Unsafe.SizeOf<T>() == sizeof(float) ? UnblockedMaxColsFloat : UnblockedMaxColsDouble;
        bool unblocked = n <= maxCols && (long)m * n * Unsafe.SizeOf<T>() <= UnblockedMaxBytes;
        return new QrBlocking(64, leaf, unblocked);
    }

    /// <summary>
    /// The widest reflector block (k1) whose step of the recursive panel factorization streams its two long products
    /// down the rows (<see cref="TallNarrowProducts"/>) instead of calling the packed GEMM. Measured on 60000-row
    /// panels the streamed products are about twice as fast as the GEMM up to 32 reflectors and slower at 64. Under
    /// <see cref="Override"/> it is the leaf width, so that small test panels take both branches.
    /// </summary>
    public static int StreamedReflectors => t_override is { } forced ? forced.LeafWidth : 32;

    /// <summary>
    /// Forces block sizes on the calling thread until the returned scope is disposed; <paramref name="unblocked"/>
    /// forces the unblocked path (for matrices of at most <see cref="UnblockedHouseholderQr.MaxCols"/> columns).
    /// </summary>
    public static IDisposable Override(int panelWidth, int leafWidth, bool unblocked = false)
    {
        if (panelWidth < 1 || leafWidth < 1 || leafWidth > QrPanelFactorization.MaxLeafWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(panelWidth), $"Invalid QR block sizes: panel {panelWidth}, leaf {leafWidth}.");
        }

        QrBlocking? outer = t_override;
        t_override = new QrBlocking(panelWidth, leafWidth, unblocked);
        return new Scope(outer);
    }

    private sealed class Scope(QrBlocking? outer) : IDisposable
    {
        public void Dispose() => t_override = outer;
    }
}
