using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra;

/// <summary>
/// Factor-once, solve-many linear least squares: min ||A X - B|| (plus lambda ||X||^2 with a ridge term) for an
/// m x n matrix A with m &gt;= n, mirroring LAPACK dgels but keeping the factorization. Many right-hand sides are
/// solved as one blocked operation, either as the columns of B (<see cref="Solve(ReadOnlyMatrixSpan{T}, MatrixSpan{T}, Span{T})"/>)
/// or as its rows (<see cref="SolveRows"/>, the layout of a data matrix with one datapoint per row); single
/// right-hand sides go through spans without allocating (<see cref="Solve(ReadOnlySpan{T}, Span{T})"/>).
/// <para>
/// With Householder QR (the default) the whole factorization is one compact-WY block, A = Q R with
/// Q = I - V T V^T, so the first n rows of Q^T B are <c>B(0:n) - L (V^T B)</c> with the precomputed lower
/// triangle L = V1 T^T: one GEMM over the long dimension and two triangular products, then X = R^-1 (...) by
/// TRSM. See docs/lapack.md for the accuracy of each method.
/// </para>
/// <para>
/// Construction throws for underdetermined shapes, numerically rank-deficient A (with the estimated rank) and
/// non-finite entries (with the entry), except that a ridge term lambda &gt; 0 admits any shape and rank. The
/// solver is immutable after construction (the pseudo-inverse is published once under a lock): every method may
/// be called from many threads at once; scratch is per thread.
/// </para>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed partial class LeastSquaresSolver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Right-hand sides per chunk of the chunked passes (residuals, refinement, double conversion).</summary>
    private const int ChunkSize = 256;

    /// <summary>
    /// The QR solve switches to the explicit thin Q from k &gt;= this times m right-hand sides: forming Q1 costs about
    /// 4 m n^2 flops once and saves the two TRMMs of order n (2 n^2 k flops at below GEMM speed) on every solve.
    /// </summary>
    private const int ThinQMinRhsPerRow = 2;

    [ThreadStatic]
    private static bool? t_thinQOverride;

    /// <summary>The factor storage of this thread's last one-shot solve, reused while the GC has not reclaimed it.</summary>
    [ThreadStatic]
    private static WeakReference<Matrix<T>>? t_onceStorage;

    private readonly int _m;
    private readonly int _n;
    private readonly T _lambda;
    private readonly LeastSquaresMethod _method;
    private readonly Matrix<T>? _factors;
    private readonly Matrix<T>? _t;
    private readonly Matrix<T>? _l;
    private readonly Matrix<T>? _a;
    private readonly Matrix<double>? _gram;
    private readonly object _gate = new();
    private volatile Matrix<T>? _pseudoInverse;
    private volatile Matrix<T>? _thinQ;

    /// <summary>Factors A (which is copied and left unchanged).</summary>
    /// <param name="a">The m x n matrix A.</param>
    /// <param name="options">Method, ridge term, rank tolerance; null for the defaults.</param>
    /// <exception cref="ArgumentException">A has fewer rows than columns without a ridge term, an option is invalid, or A is empty.</exception>
    /// <exception cref="NonFiniteValueException">A holds NaN or an infinity.</exception>
    /// <exception cref="RankDeficientException">A is numerically rank deficient and no ridge term was given.</exception>
    public LeastSquaresSolver(ReadOnlyMatrixSpan<T> a, LeastSquaresOptions? options = null)
        : this(a, options, once: false)
    {
    }

    /// <summary>
    /// Factors A. <paramref name="once"/> (for <see cref="SolveOnce"/>: one solve while A is still at hand) skips the
    /// copy of A that the normal equations keep, and puts the QR factors in this thread's one-shot storage
    /// (<see cref="OnceStorage"/>) instead of a fresh matrix; the pseudo-inverse is not formed.
    /// </summary>
    private LeastSquaresSolver(ReadOnlyMatrixSpan<T> a, LeastSquaresOptions? options, bool once)
    {
        Guard.SupportedType<T>();
        options ??= new LeastSquaresOptions();
        _m = a.Rows;
        _n = a.Cols;
        _method = options.Method;
        if (_method is not (LeastSquaresMethod.HouseholderQR or LeastSquaresMethod.NormalEquations or LeastSquaresMethod.SemiNormalEquations or LeastSquaresMethod.RandomizedCholeskyQR))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Unknown least-squares method {_method}.");
        }

        if (!(options.Ridge >= 0) || !double.IsFinite(options.Ridge))
        {
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture, $"The ridge term must be finite and at least 0, got {options.Ridge}."));
        }

        if (_m == 0 || _n == 0)
        {
            throw new ArgumentException($"A is {_m}x{_n}; least squares needs at least one row and one column.", nameof(a));
        }

        bool ridge = options.Ridge > 0;
        if (_m < _n && !ridge)
        {
            throw new ArgumentException(
                $"A is {_m}x{_n}: the problem is underdetermined (fewer rows than columns), so the least-squares solution is not unique. Add a ridge term (LeastSquaresOptions.Ridge > 0) or supply at least {_n} rows.",
                nameof(a));
        }

        if (_method is not (LeastSquaresMethod.NormalEquations or LeastSquaresMethod.RandomizedCholeskyQR))
        {
            // The normal equations find a non-finite entry from the Gram matrix's diagonal instead of a pass over A; the
            // randomized CholeskyQR cannot certify a factorization of non-finite data (R2's diagonal, see below).
            ThrowIfNonFinite(a, "A");
        }

        _lambda = T.CreateTruncating(options.Ridge);
        double tolerance = options.RankTolerance ?? (_n * double.CreateTruncating(Precision.UnitRoundoff<T>()) * 2);
        if (_method == LeastSquaresMethod.RandomizedCholeskyQR)
        {
            // Not certified by the randomized CholeskyQR (null; also when A holds NaN or an infinity, which reach the
            // diagonal of R2): Householder QR, which also reports a rank deficiency.
            _choleskyQr = TryFactorCholeskyQr(a, options.Ridge, once);
            if (_choleskyQr is null)
            {
                ThrowIfNonFinite(a, "A");
                _method = LeastSquaresMethod.HouseholderQR;
            }
        }

        if (_choleskyQr is not null)
        {
            if (!ridge)
            {
                CheckRank(_choleskyQr.R.AsReadOnlySpan(), tolerance, "|r_ii| of the randomized CholeskyQR factor R");
            }

            ConditionNumberEstimate = TriangularConditionEstimator.Estimate(_choleskyQr.R.AsReadOnlySpan(), transpose: false);
        }
        else if (_method == LeastSquaresMethod.NormalEquations)
        {
            _gram = FactorGram(a, options.Ridge, tolerance);
            _a = once ? null : Matrix<T>.CopyOf(a);
            ConditionNumberEstimate = TriangularConditionEstimator.Estimate(_gram.AsReadOnlySpan(), transpose: true);
        }
        else
        {
            int mAug = ridge ? _m + _n : _m;
            _factors = once ? OnceStorage(mAug, _n) : new Matrix<T>(mAug, _n);
            a.CopyTo(_factors.Slice(0, 0, _m, _n));
            if (ridge)
            {
                _factors.Slice(_m, 0, _n, _n).Clear();
                T s = T.Sqrt(_lambda);
                for (int i = 0; i < _n; i++)
                {
                    _factors[_m + i, i] = s;
                }
            }

            // The blocked factorization, then the T of all n reflectors at once (dlarft over the whole V: one SYRK
            // for V^T V, then TRMMs), which costs about half of the factorization's flops again.
            _t = new Matrix<T>(_n, _n);
            var tau = new T[_n];
            QrBlocking blocking = QrBlocking.For<T>(mAug, _n);
            HouseholderQr.Factor(_factors.AsSpan(), tau, Workspace<T>.Get(WorkspaceSlot.BlockFactors, Math.Min(blocking.PanelWidth, _n), _n), blocking, blockFactorsNeeded: false);
            BlockReflectorFactor.Compute(_factors.AsReadOnlySpan(), tau, _t.AsSpan(), new MatrixSpan<T>(new T[_n * _n], _n, _n));
            if (!ridge)
            {
                CheckRank(R, tolerance, "|r_ii| of the QR factor R");
            }

            ConditionNumberEstimate = TriangularConditionEstimator.Estimate(R, transpose: false);
            if (_method == LeastSquaresMethod.HouseholderQR)
            {
                // L = V1 T^T (lower triangular): Q1^T b = b(0:n) - L V^T b.
                _l = new Matrix<T>(_n, _n);
                for (int i = 0; i < _n; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        _l[i, j] = _t[j, i];
                    }
                }

                Blas.Trmm(Side.Left, Triangle.Lower, MatrixOp.None, DiagonalKind.Unit, T.One, V1, _l.AsSpan());
            }
            else
            {
                _a = once ? null : Matrix<T>.CopyOf(a);
            }
        }

        if (options.PrecomputePseudoInverse && !once)
        {
            PrecomputePseudoInverse();
        }
    }

    /// <summary>Rows m of A.</summary>
    public int Rows => _m;

    /// <summary>Columns n of A (unknowns per right-hand side).</summary>
    public int Cols => _n;

    /// <summary>The method in use.</summary>
    public LeastSquaresMethod Method => _method;

    /// <summary>The ridge term lambda.</summary>
    public double Ridge => double.CreateTruncating(_lambda);

    /// <summary>
    /// An estimate of the 1-norm condition number of the triangular factor (R for the QR methods, L^T of the
    /// Gram matrix for the normal equations; with a ridge term, of the regularized problem), from the
    /// Hager/Higham estimator (LAPACK dtrcon). kappa_1(R) is within a factor n of kappa_2(A) = kappa_2(R).
    /// </summary>
    public double ConditionNumberEstimate { get; }

    /// <summary>Whether the pseudo-inverse has been formed.</summary>
    public bool HasPseudoInverse => _pseudoInverse is not null;

    /// <summary>The pseudo-inverse P (n x m, with x = P b), formed by <see cref="PrecomputePseudoInverse"/>.</summary>
    /// <exception cref="InvalidOperationException">It has not been formed.</exception>
    public ReadOnlyMatrixSpan<T> PseudoInverse =>
        (_pseudoInverse ?? throw new InvalidOperationException("The pseudo-inverse has not been formed; call PrecomputePseudoInverse first.")).AsReadOnlySpan();

    private ReadOnlyMatrixSpan<T> R => _factors!.Slice(0, 0, _n, _n);

    /// <summary>
    /// A rows x cols matrix over this thread's one-shot factor storage: the storage of the previous one-shot solve
    /// when it is still alive and large enough (a weak reference: the GC may reclaim it whenever memory is needed),
    /// otherwise a new matrix that becomes the storage. Repeated one-shot solves of one shape, like a training loop's,
    /// then write into memory that is already touched; a fresh 62 MB matrix costs about 170 ms of page faults on the
    /// development VM, as much as a third of the solve (docs/lapack.md, "One-shot solves").
    /// </summary>
    private static Matrix<T> OnceStorage(int rows, int cols)
    {
        long needed = (long)rows * Math.Max(cols, 1);
        if (t_onceStorage is not null && t_onceStorage.TryGetTarget(out Matrix<T>? storage) && storage.Capacity >= needed)
        {
            return new Matrix<T>(storage, rows, cols);
        }

        var fresh = new Matrix<T>(rows, cols);
        t_onceStorage = new WeakReference<Matrix<T>>(fresh);
        return fresh;
    }

    private ReadOnlyMatrixSpan<T> V1 => _factors!.Slice(0, 0, _n, _n);

    /// <summary>
    /// Solves for the columns of B: X (n x k) minimizes ||A X - B|| column by column, B being m x k.
    /// </summary>
    /// <param name="b">The m x k right-hand sides.</param>
    /// <param name="x">Receives the n x k solutions; must not overlap B.</param>
    /// <param name="residualNorms">Empty, or k entries that receive ||b_j - A x_j|| (the data misfit, without the ridge term).</param>
    /// <exception cref="ArgumentException">The shapes do not conform, or X overlaps B.</exception>
    /// <exception cref="NonFiniteValueException">B holds NaN or an infinity.</exception>
    public void Solve(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms = default) =>
        SolveMany(b, x, residualNorms, rows: false);

    /// <summary>
    /// Solves for the rows of B: row i of X (k x n) minimizes ||A x_i - b_i|| for row i of B (k x m). This is the
    /// layout of a data matrix with one datapoint per row; the work is the same blocked operation, transposed.
    /// </summary>
    /// <param name="b">The k x m right-hand sides, one per row.</param>
    /// <param name="x">Receives the k x n solutions, one per row; must not overlap B.</param>
    /// <param name="residualNorms">Empty, or k entries that receive ||b_i - A x_i||.</param>
    /// <exception cref="ArgumentException">The shapes do not conform, or X overlaps B.</exception>
    /// <exception cref="NonFiniteValueException">B holds NaN or an infinity.</exception>
    public void SolveRows(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms = default) =>
        SolveMany(b, x, residualNorms, rows: true);

    /// <summary>
    /// Solves one right-hand side: x (n) minimizes ||A x - b|| for b (m). Uses the pseudo-inverse (one GEMV) when it
    /// has been formed, the factorization otherwise. Allocates nothing (scratch is per thread and reused).
    /// </summary>
    /// <param name="b">The right-hand side, m entries.</param>
    /// <param name="x">Receives the solution, n entries; must not overlap b.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or x overlaps b.</exception>
    /// <exception cref="NonFiniteValueException">b holds NaN or an infinity.</exception>
    public void Solve(ReadOnlySpan<T> b, Span<T> x)
    {
        CheckSingle(b, x);
        Matrix<T>? p = _pseudoInverse;
        if (p is not null)
        {
            Blas.Gemv(T.One, p.AsReadOnlySpan(), MatrixOp.None, b, T.Zero, x);
            if (VectorOps.IndexOfNonFinite<T>(x) >= 0)
            {
                ThrowForSolution(new ReadOnlyMatrixSpan<T>(b, 1, _m));
            }

            return;
        }

        if (!TrySolveVector(b, x))
        {
            SolveMany(new ReadOnlyMatrixSpan<T>(b, 1, _m), new MatrixSpan<T>(x, 1, _n), default, rows: true);
        }
    }

    /// <summary>Like <see cref="Solve(ReadOnlySpan{T}, Span{T})"/> with the factorization, also returning ||b - A x||.</summary>
    /// <param name="b">The right-hand side, m entries.</param>
    /// <param name="x">Receives the solution, n entries; must not overlap b.</param>
    /// <param name="residualNorm">Receives ||b - A x||.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or x overlaps b.</exception>
    /// <exception cref="NonFiniteValueException">b holds NaN or an infinity.</exception>
    public void Solve(ReadOnlySpan<T> b, Span<T> x, out T residualNorm)
    {
        CheckSingle(b, x);
        Span<T> norm = stackalloc T[1];
        var bView = new ReadOnlyMatrixSpan<T>(b, 1, _m);
        var xView = new MatrixSpan<T>(x, 1, _n);
        if (_method == LeastSquaresMethod.HouseholderQR && _m >= _n)
        {
            MatrixSpan<double> norms = Workspace<double>.Get(WorkspaceSlot.Norms, 3, 1);
            SolveVectorQr(b, x, out norms[0, 0], out norms[1, 0]);
            norms[2, 0] = _lambda > T.Zero ? VectorOps.SumSquaresDouble<T>(x) : 0;
            ResidualsFromNorms(bView, xView, norm, rows: true, norms);
        }
        else
        {
            SolveMany(bView, xView, norm, rows: true);
        }

        residualNorm = norm[0];
    }

    /// <summary>
    /// Forms the pseudo-inverse P (n x m) once, so that later single solves are one GEMV. With QR,
    /// P = R^-1 [I 0] Q^T (restricted to the m data rows); with the normal equations, (A^T A + lambda I)^-1 A^T.
    /// Thread-safe; later calls return at once.
    /// </summary>
    public void PrecomputePseudoInverse()
    {
        if (_pseudoInverse is not null)
        {
            return;
        }

        lock (_gate)
        {
            _pseudoInverse ??= BuildPseudoInverse();
        }
    }

    private static MatrixOp Flip(MatrixOp op) => op == MatrixOp.None ? MatrixOp.Transpose : MatrixOp.None;

    /// <summary>Logical rows start..start+count of a right-hand-side matrix (rows of B, or columns when the layout is by rows).</summary>
    private static MatrixSpan<T> Part(MatrixSpan<T> m, bool rows, int start, int count) =>
        rows ? m.Slice(0, start, m.Rows, count) : m.Slice(start, 0, count, m.Cols);

    private static ReadOnlyMatrixSpan<T> Part(ReadOnlyMatrixSpan<T> m, bool rows, int start, int count) =>
        rows ? m.Slice(0, start, m.Rows, count) : m.Slice(start, 0, count, m.Cols);

    /// <summary>Right-hand sides start..start+count (columns of B, or rows when the layout is by rows).</summary>
    private static MatrixSpan<T> Rhs(MatrixSpan<T> m, bool rows, int start, int count) =>
        rows ? m.Slice(start, 0, count, m.Cols) : m.Slice(0, start, m.Rows, count);

    private static ReadOnlyMatrixSpan<T> Rhs(ReadOnlyMatrixSpan<T> m, bool rows, int start, int count) =>
        rows ? m.Slice(start, 0, count, m.Cols) : m.Slice(0, start, m.Rows, count);

    /// <summary>C := alpha op(M) B + beta C in the column layout, or its transpose C := alpha B op(M)^T + beta C in the row layout.</summary>
    private static void Mul(bool rows, T alpha, ReadOnlyMatrixSpan<T> m, MatrixOp op, ReadOnlyMatrixSpan<T> b, T beta, MatrixSpan<T> c)
    {
        if (rows)
        {
            Blas.Gemm(alpha, b, MatrixOp.None, m, Flip(op), beta, c);
        }
        else
        {
            Blas.Gemm(alpha, m, op, b, MatrixOp.None, beta, c);
        }
    }

    /// <summary>X := op(M) X or op(M)^-1 X in the column layout; the transposed equivalent from the right in the row layout.</summary>
    private static void Tri<TE>(bool rows, Triangle uplo, MatrixOp op, DiagonalKind diag, ReadOnlyMatrixSpan<TE> m, MatrixSpan<TE> x, bool solve)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        Side side = rows ? Side.Right : Side.Left;
        MatrixOp eff = rows ? Flip(op) : op;
        if (solve)
        {
            Blas.Trsm(side, uplo, eff, diag, TE.One, m, x);
        }
        else
        {
            Blas.Trmm(side, uplo, eff, diag, TE.One, m, x);
        }
    }

    /// <summary>acc[j] := squared norm of right-hand side j of m (accumulated in double).</summary>
    private static void SquaredNorms(ReadOnlyMatrixSpan<T> m, bool rows, Span<double> acc)
    {
        acc.Clear();
        for (int i = 0; i < m.Rows; i++)
        {
            if (rows)
            {
                acc[i] = VectorOps.SumSquaresDouble(m.Row(i));
            }
            else
            {
                VectorOps.AddSquares(m.Row(i), acc);
            }
        }
    }

    private static void ThrowIfNonFinite(ReadOnlyMatrixSpan<T> m, string name)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            int j = VectorOps.IndexOfNonFinite(m.Row(i));
            if (j >= 0)
            {
                throw new NonFiniteValueException(name, i, j, double.CreateTruncating(m[i, j]));
            }
        }
    }

    /// <summary>Finds the non-finite entry of B that spoiled the solution, or reports an overflow.</summary>
    private static void ThrowForSolution(ReadOnlyMatrixSpan<T> b)
    {
        // Entries are named as (row, column) of B in the caller's layout.
        ThrowIfNonFinite(b, "B");
        throw new ArithmeticException("The least-squares solution overflowed (it is not finite although A and B are): the problem is too ill-conditioned or badly scaled for this precision.");
    }

    private static void CheckRank<TE>(ReadOnlyMatrixSpan<TE> tri, double tolerance, string detail)
        where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        int n = tri.Rows;
        double max = 0;
        for (int i = 0; i < n; i++)
        {
            max = Math.Max(max, Math.Abs(double.CreateTruncating(tri[i, i])));
        }

        int rank = 0, first = -1;
        for (int i = 0; i < n; i++)
        {
            double d = Math.Abs(double.CreateTruncating(tri[i, i]));
            if (d > tolerance * max)
            {
                rank++;
            }
            else if (first < 0)
            {
                first = i;
            }
        }

        if (rank < n)
        {
            throw new RankDeficientException(rank, n, tolerance, first, detail);
        }
    }

    /// <summary>
    /// The Cholesky factor (double, lower) of A^T A + lambda I. The Gram matrix is one SYRK in double straight from A:
    /// float entries are widened exactly while they are packed (docs/lapack.md, "The Gram matrix in double").
    /// A non-finite entry of A shows on the diagonal, which is where it is looked for.
    /// </summary>
    private static Matrix<double> FactorGram(ReadOnlyMatrixSpan<T> a, double lambda, double tolerance)
    {
        int n = a.Cols;
        var g = new Matrix<double>(n, n);
        Blas.SyrkWidening(Triangle.Lower, MatrixOp.Transpose, 1.0, a, 0.0, g.AsSpan());
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(g[i, i]))
            {
                ThrowIfNonFinite(a, "A");
                throw new ArithmeticException(string.Create(CultureInfo.InvariantCulture, $"The Gram matrix A^T A overflowed in double at column {i} although A is finite: A is too badly scaled for the normal equations; use LeastSquaresMethod.HouseholderQR."));
            }

            g[i, i] += lambda;
        }

        bool positive = Lapack.TryCholeskyFactor(g.AsSpan(), Triangle.Lower, out int pivot, out double value);

        // Pivots of A^T A (formed in double) are resolved only to about n eps ||A||^2, so |l_ii| only to
        // sqrt(n eps) ||A||; below 30 times that, a column is numerically dependent for the normal equations.
        double resolvable = 30 * Math.Sqrt(n * Precision.UnitRoundoff<double>());
        if (positive)
        {
            double max = 0, min = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                max = Math.Max(max, g[i, i]);
                min = Math.Min(min, g[i, i]);
            }

            positive = lambda > 0 || min > Math.Max(tolerance, resolvable) * max;
        }

        if (!positive)
        {
            if (lambda > 0)
            {
                throw new ArithmeticException(string.Create(CultureInfo.InvariantCulture, $"The regularized Gram matrix A^T A + lambda I is not positive definite at pivot {pivot} (value {value:G3}): the ridge term is too small for this precision."));
            }

            // The error path: estimate the rank from the diagonal of a Householder R (|r_ii| = |l_ii| in exact
            // arithmetic), at the resolution of the normal equations: a column the Gram matrix cannot resolve counts
            // as dependent. Only when no |r_ii| is that small is A called full-rank but too ill-conditioned.
            var qr = new QrFactorization<T>(a);
            CheckRank(qr.Factors.Slice(0, 0, n, n), Math.Max(tolerance, resolvable), "the normal equations cannot resolve A: estimated from |r_ii| of its Householder R at the normal equations' resolution");
            throw new ArithmeticException(string.Create(
                CultureInfo.InvariantCulture,
                $"A has full rank {n} but is too ill-conditioned for the normal equations (kappa(A)^2 eps is about 1 or more: the Cholesky factor of A^T A {(pivot >= 0 ? $"fails at pivot {pivot}" : "has pivots below sqrt(eps) of the largest")}); use LeastSquaresMethod.HouseholderQR or SemiNormalEquations."));
        }

        return g;
    }

    private static void ConvertRow<TFrom, TTo>(ReadOnlySpan<TFrom> from, Span<TTo> to)
        where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
        where TTo : unmanaged, IFloatingPointIeee754<TTo>
    {
        if (typeof(TFrom) == typeof(TTo))
        {
            MemoryMarshal.Cast<TFrom, TTo>(from).CopyTo(to);
            return;
        }

        for (int j = 0; j < to.Length; j++)
        {
            to[j] = TTo.CreateTruncating(from[j]);
        }
    }

    private void CheckSingle(ReadOnlySpan<T> b, Span<T> x)
    {
        if (b.Length != _m || x.Length != _n)
        {
            throw new ArgumentException($"A is {_m}x{_n}: b needs {_m} entries (has {b.Length}) and x needs {_n} (has {x.Length}).", nameof(x));
        }

        if (x.Overlaps(b))
        {
            throw new ArgumentException("x overlaps b; the solve needs separate storage.", nameof(x));
        }
    }

    /// <summary>The blocked solve; <paramref name="a"/> is A for the normal equations when the solver keeps no copy of it.</summary>
    private void SolveMany(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows, ReadOnlyMatrixSpan<T> a = default)
    {
        int k = rows ? b.Rows : b.Cols;
        int bm = rows ? b.Cols : b.Rows;
        int xk = rows ? x.Rows : x.Cols;
        int xn = rows ? x.Cols : x.Rows;
        if (bm != _m || xn != _n || xk != k)
        {
            string want = rows ? $"B k x {_m} and X k x {_n}" : $"B {_m} x k and X {_n} x k";
            throw new ArgumentException($"Least-squares shapes do not conform: A is {_m}x{_n}, B is {b.Rows}x{b.Cols}, X is {x.Rows}x{x.Cols}; need {want}.", nameof(x));
        }

        if (!residualNorms.IsEmpty && residualNorms.Length != k)
        {
            throw new ArgumentException($"residualNorms has {residualNorms.Length} entries but there are {k} right-hand sides.", nameof(residualNorms));
        }

        Guard.NoOverlap(x, b, "X", "B");
        if (k == 0)
        {
            return;
        }

        switch (_method)
        {
            case LeastSquaresMethod.HouseholderQR:
                SolveQr(b, x, residualNorms, rows);
                break;
            case LeastSquaresMethod.RandomizedCholeskyQR:
                SolveCholeskyQr(_choleskyQr!, b, x, residualNorms, rows);
                break;
            case LeastSquaresMethod.NormalEquations:
                SolveNormal(_a is null ? a : _a.AsReadOnlySpan(), b, x, residualNorms, rows, refine: false);
                break;
            default:
                SolveNormal(_a is null ? a : _a.AsReadOnlySpan(), b, x, residualNorms, rows, refine: true);
                break;
        }

        for (int i = 0; i < x.Rows; i++)
        {
            if (VectorOps.IndexOfNonFinite<T>(x.Row(i)) >= 0)
            {
                ThrowForSolution(b);
            }
        }
    }

    /// <summary>
    /// X = R^-1 (B(0:n) - L (V1^T B(0:n) + V2^T B(n:m))): one GEMM over the m - n trailing rows, two TRMMs and a
    /// TRSM of order n. X itself holds the n-row intermediate, so no scratch is needed beyond the residual check.
    /// </summary>
    private void SolveQr(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows)
    {
        int k = rows ? b.Rows : b.Cols;
        ReadOnlyMatrixSpan<T> bEff = b;
        int mEff = _m;
        if (_m < _n)
        {
            // Ridge with fewer rows than columns: the augmented right-hand side [B; 0] has n leading rows.
            MatrixSpan<T> padded = Workspace<T>.Get(WorkspaceSlot.PaddedRhs, rows ? k : _n, rows ? _n : k);
            padded.Clear();
            b.CopyTo(Part(padded, rows, 0, _m));
            bEff = padded;
            mEff = _n;
        }

        if (_m >= _n && (t_thinQOverride ?? k >= ThinQMinRhsPerRow * _m))
        {
            // Many right-hand sides: Q1^T B as one GEMM with the explicit thin Q (formed once). The same flops as
            // the two TRMMs and the GEMM below, but all of them at GEMM speed (see docs/lapack.md).
            Mul(rows, T.One, ThinQ(), MatrixOp.Transpose, b, T.Zero, x);
        }
        else
        {
            ReadOnlyMatrixSpan<T> top = Part(bEff, rows, 0, _n);
            top.CopyTo(x);
            Tri(rows, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.Unit, V1, x, solve: false);
            if (mEff > _n)
            {
                // The ridge rows of V (m..m+n) meet the zero rows of [B; 0] and are skipped.
                Mul(rows, T.One, _factors!.Slice(_n, 0, mEff - _n, _n), MatrixOp.Transpose, Part(bEff, rows, _n, mEff - _n), T.One, x);
            }

            Tri(rows, Triangle.Lower, MatrixOp.None, DiagonalKind.NonUnit, _l!.AsReadOnlySpan(), x, solve: false);
            for (int i = 0; i < x.Rows; i++)
            {
                Span<T> xi = x.Row(i);
                VectorOps.Scale(-T.One, xi);
                VectorOps.Axpy(T.One, top.Row(i), xi);
            }
        }

        SolveTriangleWithNorms(b, x, residualNorms, rows, R);
    }

    /// <summary>
    /// X := R^-1 Y for Y = the first n entries of Q^T B, which X holds on entry, and the residual norms from
    /// ||r||^2 = ||b||^2 - ||Q^T b||^2 - lambda ||x||^2 (the QR methods' common last step).
    /// </summary>
    private void SolveTriangleWithNorms(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows, ReadOnlyMatrixSpan<T> r)
    {
        MatrixSpan<double> norms = default;
        if (!residualNorms.IsEmpty)
        {
            int k = rows ? b.Rows : b.Cols;
            norms = Workspace<double>.Get(WorkspaceSlot.Norms, 3, k);
            SquaredNorms(b, rows, norms.Row(0));
            SquaredNorms(x, rows, norms.Row(1));
        }

        Tri(rows, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, r, x, solve: true);
        if (!residualNorms.IsEmpty)
        {
            if (_lambda > T.Zero)
            {
                SquaredNorms(x, rows, norms.Row(2));
            }
            else
            {
                norms.Row(2).Clear();
            }

            ResidualsFromNorms(b, x, residualNorms, rows, norms);
        }
    }

    /// <summary>Forces (true) or forbids (false) the thin-Q path of the QR solve on this thread (null: by the number of right-hand sides); for tests and measurements.</summary>
    internal static bool? ThinQOverride
    {
        get => t_thinQOverride;
        set => t_thinQOverride = value;
    }

    /// <summary>
    /// The data rows of the thin Q (Q1 = Q [I; 0], m x n; with a ridge term the first m rows of the augmented
    /// problem's Q1, which are all that meet [B; 0]), formed once on first use (dorgqr with the full T: one block
    /// reflector applied to [I; 0], about 4 m n^2 flops) and kept. Thread-safe.
    /// </summary>
    private ReadOnlyMatrixSpan<T> ThinQ()
    {
        Matrix<T>? q = _thinQ;
        if (q is null)
        {
            lock (_gate)
            {
                if (_thinQ is null)
                {
                    var full = new Matrix<T>(_factors!.Rows, _n);
                    HouseholderQr.FormQ(_factors.AsReadOnlySpan(), _t!.AsReadOnlySpan(), _n, full.AsSpan());
                    _thinQ = full;
                }

                q = _thinQ;
            }
        }

        return q.Slice(0, 0, _m, _n);
    }

    /// <summary>
    /// Turns the norm identity into residual norms; where it cancels (the residual is below sqrt(eps) of ||b||),
    /// recomputes b - A x explicitly as b - (Q [R x; 0])(0:m) for those right-hand sides, in batches.
    /// </summary>
    private void ResidualsFromNorms(ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows, MatrixSpan<double> norms)
    {
        int k = residualNorms.Length;
        double lambda = double.CreateTruncating(_lambda);
        double cut = Math.Sqrt(double.CreateTruncating(Precision.UnitRoundoff<T>()));
        Span<double> b2 = norms.Row(0), y2 = norms.Row(1), x2 = norms.Row(2);
        int flagged = 0;
        for (int j = 0; j < k; j++)
        {
            double r2 = b2[j] - y2[j] - (lambda * x2[j]);
            if (r2 > cut * b2[j])
            {
                residualNorms[j] = T.CreateTruncating(Math.Sqrt(r2));
                y2[j] = 0;
            }
            else
            {
                y2[j] = 1;
                flagged++;
            }
        }

        if (flagged == 0)
        {
            return;
        }

        int mAug = _choleskyQr is null ? _factors!.Rows : _m;
        int batch = Math.Min(flagged, ChunkSize);
        int next = 0;
        Span<int> index = stackalloc int[ChunkSize];
        while (next < k)
        {
            int count = 0;
            for (; next < k && count < batch; next++)
            {
                if (y2[next] != 0)
                {
                    index[count++] = next;
                }
            }

            if (count == 0)
            {
                break;
            }

            // z = A x for the gathered solutions: Q [R x; 0] (Householder) or Q1 (R1 x) (randomized CholeskyQR).
            MatrixSpan<T> z = Workspace<T>.Get(WorkspaceSlot.ResidualBatch, mAug, count);
            MatrixSpan<T> head = _choleskyQr is null ? z.Slice(0, 0, _n, count) : Workspace<T>.Get(WorkspaceSlot.ResidualHead, _n, count);
            z.Clear();
            for (int q = 0; q < count; q++)
            {
                for (int i = 0; i < _n; i++)
                {
                    head[i, q] = rows ? x[index[q], i] : x[i, index[q]];
                }
            }

            if (_choleskyQr is not null)
            {
                CholeskyQrTimes(_choleskyQr, _m, head, z);
            }
            else
            {
                Blas.Trmm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, R, head);
                HouseholderQr.Apply(_factors!.AsReadOnlySpan(), _t!.AsReadOnlySpan(), _n, Side.Left, transposeQ: false, z);
            }

            for (int q = 0; q < count; q++)
            {
                double s = 0;
                for (int i = 0; i < _m; i++)
                {
                    double d = double.CreateTruncating(rows ? b[index[q], i] : b[i, index[q]]) - double.CreateTruncating(z[i, q]);
                    s += d * d;
                }

                residualNorms[index[q]] = T.CreateTruncating(Math.Sqrt(s));
            }
        }
    }

    /// <summary>
    /// Normal equations (Cholesky of the Gram matrix, in double) or semi-normal equations (R from QR) with one
    /// step of refinement: X := (A^T A + lambda I)^-1 A^T B; then, chunk by chunk, the residual B - A X (for the
    /// norms) and, when refining, X += (A^T A + lambda I)^-1 (A^T (B - A X) - lambda X).
    /// </summary>
    private void SolveNormal(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, Span<T> residualNorms, bool rows, bool refine)
    {
        int k = rows ? b.Rows : b.Cols;
        Mul(rows, T.One, a, MatrixOp.Transpose, b, T.Zero, x);
        SolveGram(x, rows);
        if (residualNorms.IsEmpty && !refine)
        {
            return;
        }

        for (int c0 = 0; c0 < k; c0 += ChunkSize)
        {
            int cs = Math.Min(ChunkSize, k - c0);
            MatrixSpan<T> xc = Rhs(x, rows, c0, cs);
            MatrixSpan<T> res = Workspace<T>.Get(WorkspaceSlot.Residual, rows ? cs : _m, rows ? _m : cs);
            Rhs(b, rows, c0, cs).CopyTo(res);
            Mul(rows, -T.One, a, MatrixOp.None, xc, T.One, res);
            if (refine)
            {
                MatrixSpan<T> d = Workspace<T>.Get(WorkspaceSlot.Correction, rows ? cs : _n, rows ? _n : cs);
                Mul(rows, T.One, a, MatrixOp.Transpose, res, T.Zero, d);
                if (_lambda > T.Zero)
                {
                    for (int i = 0; i < d.Rows; i++)
                    {
                        VectorOps.Axpy(-_lambda, xc.Row(i), d.Row(i));
                    }
                }

                SolveGram(d, rows);
                for (int i = 0; i < d.Rows; i++)
                {
                    VectorOps.Axpy(T.One, d.Row(i), xc.Row(i));
                }

                if (!residualNorms.IsEmpty)
                {
                    // The residual of the corrected solution: (B - A X) - A D.
                    Mul(rows, -T.One, a, MatrixOp.None, d, T.One, res);
                }
            }

            if (!residualNorms.IsEmpty)
            {
                Span<double> n2 = Workspace<double>.Get(WorkspaceSlot.Norms, 1, cs).Row(0);
                SquaredNorms(res, rows, n2);
                for (int j = 0; j < cs; j++)
                {
                    residualNorms[c0 + j] = T.CreateTruncating(Math.Sqrt(n2[j]));
                }
            }
        }
    }

    /// <summary>X := (A^T A + lambda I)^-1 X with the Cholesky factor in double (normal equations) or with R (semi-normal).</summary>
    private void SolveGram(MatrixSpan<T> x, bool rows)
    {
        if (_gram is null)
        {
            // R^T R X = C: R^T Y = C, then R X = Y.
            Tri(rows, Triangle.Upper, MatrixOp.Transpose, DiagonalKind.NonUnit, R, x, solve: true);
            Tri(rows, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, R, x, solve: true);
            return;
        }

        int k = rows ? x.Rows : x.Cols;
        ReadOnlyMatrixSpan<double> g = _gram.AsReadOnlySpan();
        for (int c0 = 0; c0 < k; c0 += ChunkSize)
        {
            int cs = Math.Min(ChunkSize, k - c0);
            MatrixSpan<T> xc = Rhs(x, rows, c0, cs);
            MatrixSpan<double> xd = Workspace<double>.Get(WorkspaceSlot.DoubleChunk, xc.Rows, xc.Cols);
            for (int i = 0; i < xc.Rows; i++)
            {
                ConvertRow<T, double>(xc.Row(i), xd.Row(i));
            }

            // L L^T X = C: L Y = C, then L^T X = Y.
            Tri(rows, Triangle.Lower, MatrixOp.None, DiagonalKind.NonUnit, g, xd, solve: true);
            Tri(rows, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.NonUnit, g, xd, solve: true);
            for (int i = 0; i < xc.Rows; i++)
            {
                ConvertRow<double, T>(xd.Row(i), xc.Row(i));
            }
        }
    }

    private Matrix<T> BuildPseudoInverse()
    {
        if (_choleskyQr is not null)
        {
            return BuildCholeskyQrPseudoInverse(_choleskyQr);
        }

        var p = new Matrix<T>(_n, _m);
        if (_method != LeastSquaresMethod.HouseholderQR)
        {
            // P = (A^T A + lambda I)^-1 A^T.
            ReadOnlyMatrixSpan<T> a = _a!.AsReadOnlySpan();
            for (int i = 0; i < _m; i++)
            {
                for (int j = 0; j < _n; j++)
                {
                    p[j, i] = a[i, j];
                }
            }

            SolveGram(p.AsSpan(), rows: false);
            return p;
        }

        // P = R^-1 ([I 0] - L V^T) restricted to the m data columns: the solve above applied to the identity.
        int lead = Math.Min(_m, _n);
        var head = new Matrix<T>(_n, _n);
        _l!.AsReadOnlySpan().CopyTo(head.AsSpan());
        Blas.Trmm(Side.Right, Triangle.Lower, MatrixOp.Transpose, DiagonalKind.Unit, T.One, V1, head.AsSpan());
        for (int i = 0; i < _n; i++)
        {
            VectorOps.Scale(-T.One, head.AsSpan().Row(i));
            head[i, i] += T.One;
        }

        head.Slice(0, 0, _n, lead).CopyTo(p.Slice(0, 0, _n, lead));
        if (_m > _n)
        {
            Blas.Gemm(-T.One, _l.AsReadOnlySpan(), MatrixOp.None, _factors!.Slice(_n, 0, _m - _n, _n), MatrixOp.Transpose, T.Zero, p.Slice(0, _n, _n, _m - _n));
        }

        Blas.Trsm(Side.Left, Triangle.Upper, MatrixOp.None, DiagonalKind.NonUnit, T.One, R, p.AsSpan());
        return p;
    }
}
