using StarNet.LinearAlgebra.Kernels;

namespace StarNet.LinearAlgebra.Factorizations;

/// <summary>
/// Scratch matrices for the factorizations and solves (block-reflector workspaces, right-hand-side copies) in
/// the per-thread <see cref="ThreadScratch"/> slots reserved for them: warm calls allocate nothing and
/// concurrent solves on one factorization never share scratch. Separate slots let a routine hold one while a
/// routine it calls uses the other; each use has its own <see cref="WorkspaceSlot"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static unsafe class Workspace<T>
    where T : unmanaged
{
    /// <summary>A rows x cols scratch matrix in the first slot: the block reflector's W.</summary>
    public static MatrixSpan<T> First(int rows, int cols) => Get(WorkspaceSlot.ReflectorWork, rows, cols);

    /// <summary>A rows x cols scratch matrix in the second slot: the block T factors of the tau-only API.</summary>
    public static MatrixSpan<T> Second(int rows, int cols) => Get(WorkspaceSlot.BlockFactors, rows, cols);

    /// <summary>A rows x cols scratch matrix in the named slot (contents undefined).</summary>
    public static MatrixSpan<T> Get(WorkspaceSlot slot, int rows, int cols) => View(ThreadScratch.FirstLapackSlot + (int)slot, rows, cols);

    private static MatrixSpan<T> View(int slot, int rows, int cols)
    {
        int stride = Math.Max(cols, 1);
        int length = checked(Math.Max(rows, 1) * stride);
        T* p = ThreadScratch.Get<T>(slot, length);
        return new MatrixSpan<T>(new Span<T>(p, length), rows, cols, stride);
    }
}

/// <summary>The scratch slots of the factorizations; a slot is owned by one use at a time on a thread.</summary>
internal enum WorkspaceSlot
{
    /// <summary>W of the block reflector application.</summary>
    ReflectorWork = 0,

    /// <summary>Block T factors rebuilt from tau.</summary>
    BlockFactors = 1,

    /// <summary>A zero-padded copy of the right-hand sides (ridge with fewer rows than columns).</summary>
    PaddedRhs = 2,

    /// <summary>Right-hand sides whose residual is recomputed explicitly.</summary>
    ResidualBatch = 3,

    /// <summary>Per-right-hand-side squared norms (double).</summary>
    Norms = 4,

    /// <summary>A chunk of solutions converted to double for the normal equations.</summary>
    DoubleChunk = 5,

    /// <summary>A chunk of residuals B - A X.</summary>
    Residual = 6,

    /// <summary>A chunk of refinement corrections.</summary>
    Correction = 7,

    /// <summary>R1 x of the solutions whose residual the randomized CholeskyQR solve recomputes explicitly.</summary>
    ResidualHead = 8,

    /// <summary>The product of a TRMM leaf before it is copied back.</summary>
    TriangleLeaf = 9,

    /// <summary>A contiguous copy of a QR leaf panel.</summary>
    LeafPanel = 10,

    /// <summary>The dense unit lower triangle of V for its Gram matrix.</summary>
    ReflectorGram = 11,

    /// <summary>One thread's columns of W in a streamed W += A^T B split by columns (kept apart from the other threads' cache lines).</summary>
    ProductPartial = 12,
}
