using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Kernels;

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
    /// <summary>Most columns of a matrix the default blocking factors unblocked.</summary>
    public const int UnblockedMaxCols = 256;

    /// <summary>
    /// With 256-bit vectors, the default blocking factors a matrix of at most <see cref="UnblockedMaxCols"/> columns
    /// unblocked while it (m n elements times the element size) fits in the per-core second-level cache
    /// (<see cref="CacheSizes.L2Bytes"/>), which then holds it through the kernel's k sweeps; beyond it every sweep
    /// comes from L3. Measured on the Zen 3 machine (512 KiB L2, session 12, alternating runs, unblocked against
    /// blocked): float 784 x 256 2.65-2.72 against 2.17-2.21 ms, 1000 x 200 2.27-2.44 against 2.07-2.10, 2000 x 100
    /// 1.51-1.71 against 1.38-1.40; below the L2 float 600 x 200 1.19-1.22 against 1.28-1.37 and 400 x 256 1.08-1.09
    /// against 1.19-1.21; at exactly the L2 double 256 x 256 1.05-1.08 against 0.82-0.94 times LAPACK's speed, float
    /// 512 x 256 level, 1024 x 128 about 10% behind. Session 4 measured the same crossing at the 1 MiB L2 of the Zen 5
    /// machine (docs/lapack.md).
    /// </summary>
    public static long UnblockedMaxBytes => CacheSizes.L2Bytes;

    /// <summary>
    /// With 512-bit vectors, most rows of a matrix factored unblocked at any width. Since the leaves apply two
    /// reflectors per sweep (session 9) the blocked path is ahead of the unblocked kernel from a few hundred rows on
    /// (float 400 x 32 22 against 36 us, 784 x 256 1.01 against 1.38 ms; double 400 x 32 30 against 47 us, 330 x 100
    /// 225 against 260 us, 512 x 256 1.25 against 1.54 ms) and level or behind up to 256 rows (float 256 x 256 341
    /// against 369 us, 256 x 64 50 against 53 us); docs/lapack.md ("Tall-skinny, session 9").
    /// </summary>
    public const int UnblockedMaxRows512 = 256;

    /// <summary>
    /// With 512-bit vectors, float matrices of more than 64 columns and at most this many elements also stay
    /// unblocked: at 100 columns the unblocked kernel is still ahead at 330 to 400 rows (330 x 96 106 against 153 us,
    /// 400 x 100 153 against 212 us); narrower ones are not (512 x 64 98 against 78 us).
    /// </summary>
    public const int UnblockedMaxElementsWideFloat = 65536;

    /// <summary>With 512-bit vectors, most columns of a float matrix factored unblocked (double keeps <see cref="UnblockedMaxCols"/>).</summary>
    public const int UnblockedMaxColsWideFloat = 288;

    /// <summary>
    /// With 512-bit vectors, float matrices of at least 256 columns and at most this size (m n elements times 4)
    /// take 32-column leaves and panels instead of 64: the narrower leaf leaves more of the work to the trailing
    /// GEMMs, which is faster while the matrix is in the second-level cache (784 x 256 1.01 against 1.16 ms, 512 x 512
    /// 1.95 against 2.06, 700 x 320 1.21 against 1.29) and level or slower beyond it (1024 x 1024 12.5 against 12.1)
    /// or at fewer columns (1000 x 100 512 against 341 us).
    /// </summary>
    public const int SmallFloatLeafMaxBytes = 1024 * 1024;

    /// <summary>
    /// Above this many columns double matrices keep 128-column panels with the 512-bit blocking (2048 x 2048: 192 ms
    /// at NB 128 against 225 at NB = leaf = 32 and 221 at NB 64; 1024 x 1024: NB 32 is 3% faster than 64).
    /// </summary>
    private const int WidePanelCols = 1024;

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

        // Leaves four vectors wide (the fused kernel keeps its accumulators in registers up to that width).
        // With 512-bit vectors (64 float or 32 double columns) a whole panel is one leaf: the fused sweeps at that
        // width cost less than the recursion's streamed steps and T12 products between narrower leaves (10-25% less
        // time on the tall-skinny shapes, same process; docs/lapack.md), so NB is the leaf width, except for wide
        // double matrices (more than 1024 columns), whose trailing-update GEMMs want a larger inner dimension.
        // With 256-bit vectors (32 float or 16 double columns) panels of 64 columns balance the panel work (which
        // grows with the panel width) against the trailing-update GEMMs (whose inner dimension it is).
        int size = Unsafe.SizeOf<T>();
        long bytes = (long)m * n * size;
        int leaf, panel;
        bool unblocked;
        if (LinearAlgebraSettings.ActiveInstructionSet >= InstructionSet.Vector512)
        {
            leaf = Math.Min(QrPanelFactorization.MaxLeafWidth, 4 * Vector512<byte>.Count / size);
            bool isFloat = size == sizeof(float);
            if (isFloat && n >= 256 && bytes <= SmallFloatLeafMaxBytes)
            {
                leaf = 32;
            }

            panel = n > WidePanelCols && !isFloat ? 128 : leaf;
            unblocked = isFloat
                ? n <= UnblockedMaxColsWideFloat && (m <= UnblockedMaxRows512 || (n > 64 && (long)m * n <= UnblockedMaxElementsWideFloat))
                : n <= UnblockedMaxCols && m <= UnblockedMaxRows512;
        }
        else
        {
            leaf = 4 * Vector256<byte>.Count / size;
            panel = 64;
            unblocked = n <= UnblockedMaxCols && bytes <= UnblockedMaxBytes;
        }

        return new QrBlocking(panel, leaf, unblocked);
    }

    /// <summary>
    /// The widest reflector block (k1) whose step of the recursive panel factorization streams its two long products
    /// down the rows (<see cref="TallNarrowProducts"/>) instead of calling the packed GEMM. Measured on 60000-row
    /// panels the streamed products are about twice as fast as the GEMM up to 32 reflectors and slower at 64. Under
    /// <see cref="Override"/> it is the leaf width, so that small test panels take both branches.
    /// </summary>
    public static int StreamedReflectors => t_override is { } forced ? forced.LeafWidth : 32;

    /// <summary>
    /// Fewest rows of a block reflector whose left application (the trailing update of the blocked QR, applying Q)
    /// streams its two long products instead of calling the packed GEMM, for C of at most
    /// <see cref="StreamedTrailingCols"/> columns (<see cref="BlockReflector.Streams{T}"/>). Under
    /// <see cref="Override"/> it is six panel widths, so that the tests' small matrices take both paths.
    /// </summary>
    public static int StreamedTrailingRows => t_override is { } forced ? 6 * forced.PanelWidth : 1024;

    /// <summary>Like <see cref="StreamedTrailingRows"/>, for C of up to <see cref="StreamedTrailingColsWide"/> columns.</summary>
    public static int StreamedTrailingRowsWide => t_override is { } forced ? 6 * forced.PanelWidth : 12288;

    /// <summary>
    /// Float blocks of at most <see cref="NarrowBlockReflectors"/> reflectors (the 32-column panels of matrices in the
    /// second-level cache) stream from this many rows on, up to <see cref="StreamedTrailingColsWide"/> columns: 784 x 257
    /// float 1.50-1.56 against 1.77-1.90 ms through the GEMM, 784 x 256 1.32-1.33 against 1.37-1.44 (alternating
    /// runs, session 9; docs/lapack.md).
    /// </summary>
    public static int StreamedTrailingRowsNarrowBlock => t_override is { } forced ? 6 * forced.PanelWidth : 192;

    /// <summary>Most reflectors of a block that streams from <see cref="StreamedTrailingRowsNarrowBlock"/> rows on.</summary>
    public const int NarrowBlockReflectors = 32;

    /// <summary>Most reflectors of a block reflector whose left application streams (<see cref="StreamedTrailingRows"/>).</summary>
    public static int StreamedTrailingReflectors => t_override is { } forced ? forced.PanelWidth : 64;

    /// <summary>
    /// Most columns of C streamed from <see cref="StreamedTrailingRows"/> rows on: 128 and a partial vector (161 double
    /// columns were 10-14% slower streamed at 1024-3072 rows).
    /// </summary>
    public const int StreamedTrailingCols = 143;

    /// <summary>
    /// Most columns of C streamed from <see cref="StreamedTrailingRowsWide"/> rows on: 256 and a partial vector (at 784
    /// columns the streamed float products take 1.8x the GEMM's time at any height).
    /// </summary>
    public const int StreamedTrailingColsWide = 271;

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
