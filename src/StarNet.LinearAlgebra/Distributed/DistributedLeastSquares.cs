using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// Least squares over rows spread across ranks: <c>min ||A X - B||_F^2 + ridge ||X||_F^2</c> where A (N x n) and
/// B (N x k) are the row blocks of all ranks stacked in rank order. Each rank passes only its own rows; every
/// rank receives the same X (n x k). What moves between ranks does not depend on N: about n(n+1)/2 + n k numbers
/// per rank (<see cref="CommunicatedNumbers"/>).
/// </summary>
/// <remarks>
/// Every rank must call this with the same n, k, method and ridge (its row count may differ, and may be 0).
/// Failures that depend on the whole problem (too few rows in all, rank deficiency) are detected identically on
/// every rank and thrown on every rank, so no rank is left waiting.
/// </remarks>
public static class DistributedLeastSquares
{
    private const int ConvertBlockRows = 512;
    private const int MaxMessageBytes = 4096;
    private const double DoubleUnitRoundoff = 1.1102230246251565e-16; // 2^-53
    private const double FloatUnitRoundoff = 5.9604644775390625e-8; // 2^-24

    /// <summary>Solves the distributed problem; see the class remarks.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="communicator">The job.</param>
    /// <param name="a">This rank's rows of A (m_p x n, m_p &gt;= 0).</param>
    /// <param name="b">This rank's rows of B (m_p x k).</param>
    /// <param name="x">Receives X (n x k) on every rank.</param>
    /// <param name="method">Normal equations or TSQR.</param>
    /// <param name="ridge">Non-negative ridge lambda, applied to every column of A as the single-process solver does.</param>
    /// <returns>
    /// The same on every rank: the 1-norm condition estimate of the triangular factor, as
    /// <see cref="LeastSquaresSolver{T}.ConditionNumberEstimate"/> gives it (L of the Gram matrix, or the stacked R).
    /// </returns>
    /// <exception cref="ArgumentException">The shapes do not conform, or there are fewer rows in all than columns without a ridge.</exception>
    /// <exception cref="ArithmeticException">A is numerically rank deficient (or, for the normal equations, too ill-conditioned).</exception>
    public static double Solve<T>(ICommunicator communicator, ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, DistributedSolveMethod method, double ridge = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (a.Rows != b.Rows || x.Rows != a.Cols || x.Cols != b.Cols || a.Cols == 0)
        {
            throw new ArgumentException($"Shapes do not conform: A is {a.Rows}x{a.Cols}, B is {b.Rows}x{b.Cols}, X is {x.Rows}x{x.Cols}; X must be n x k for A m x n (n >= 1) and B m x k.", nameof(x));
        }

        if (!(ridge >= 0) || !double.IsFinite(ridge))
        {
            throw new ArgumentOutOfRangeException(nameof(ridge), ridge, "The ridge must be finite and at least 0.");
        }

        return method switch
        {
            DistributedSolveMethod.NormalEquations => SolveNormalEquations(communicator, a, b, x, ridge),
            DistributedSolveMethod.Tsqr => SolveTsqr(communicator, a, b, x, ridge),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown distributed solve method."),
        };
    }

    /// <summary>
    /// The numbers one rank contributes to the collectives of one solve with n columns and k right-hand sides:
    /// the packed triangle n(n+1)/2 plus the n x k cross-product block, plus the row count; TSQR also receives the
    /// broadcast X (n k), a status word and the condition estimate.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="k">Columns of B.</param>
    /// <returns>The count of numbers (doubles for the normal equations, elements of T for TSQR's blocks).</returns>
    public static long CommunicatedNumbers(DistributedSolveMethod method, int n, int k)
    {
        long block = ((long)n * (n + 1) / 2) + ((long)n * k);
        return method == DistributedSolveMethod.NormalEquations ? block + 1 : 1 + block + 1 + ((long)n * k) + 1;
    }

    private static double SolveNormalEquations<T>(ICommunicator communicator, ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Cols, k = b.Cols;
        var gram = new Matrix<double>(n, n);
        var cross = new Matrix<double>(n, k);
        LocalProducts(a, b, gram.AsSpan(), cross.AsSpan());

        // One all-reduce: [packed lower triangle of A^T A | A^T B | row count].
        int triangle = checked(n * (n + 1) / 2);
        var payload = new double[triangle + (n * k) + 1];
        PackLower(gram.AsReadOnlySpan(), payload.AsSpan(0, triangle));
        cross.Span.CopyTo(payload.AsSpan(triangle, n * k));
        payload[^1] = a.Rows;
        communicator.AllReduceSum(payload);

        RequireRows((long)payload[^1], n, ridge);
        UnpackLower(payload.AsSpan(0, triangle), gram.AsSpan());
        payload.AsSpan(triangle, n * k).CopyTo(cross.Span);
        for (int i = 0; i < n; i++)
        {
            gram[i, i] += ridge;
        }

        if (!Lapack.TryCholeskyFactor(gram.AsSpan(), Triangle.Lower, out int pivot, out double value) || !Resolvable<T>(gram.AsReadOnlySpan(), ridge))
        {
            throw new ArithmeticException(pivot >= 0
                ? string.Create(CultureInfo.InvariantCulture, $"The distributed normal equations A^T A{(ridge > 0 ? " + ridge I" : string.Empty)} (n = {n}) are not positive definite at pivot {pivot} (value {value:G3}): A is rank deficient or too ill-conditioned for the normal equations. Use TSQR or a ridge > 0.")
                : string.Create(CultureInfo.InvariantCulture, $"The distributed normal equations (n = {n}) cannot resolve A: a Cholesky pivot is below sqrt(n eps) of the largest, so cond(A)^2 eps is about 1 or more. Use TSQR or a ridge > 0."));
        }

        double condition = TriangularConditionEstimator.Estimate(gram.AsReadOnlySpan(), transpose: true);
        Lapack.CholeskySolve(gram.AsReadOnlySpan(), Triangle.Lower, cross.AsSpan());
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> from = cross.AsReadOnlySpan().Row(i);
            Span<T> to = x.Row(i);
            for (int j = 0; j < k; j++)
            {
                to[j] = T.CreateTruncating(from[j]);
            }
        }

        return condition;
    }

    /// <summary>
    /// As the single-process normal equations judge it: pivots of A^T A formed in double are resolved only to
    /// eps ||A||^2, so without a ridge every l_ii must exceed max(2 n u_T, sqrt(n u_double)) times the largest.
    /// </summary>
    private static bool Resolvable<T>(ReadOnlyMatrixSpan<double> factor, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ridge > 0)
        {
            return true;
        }

        int n = factor.Rows;
        double max = 0, min = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            max = Math.Max(max, factor[i, i]);
            min = Math.Min(min, factor[i, i]);
        }

        double unitRoundoff = typeof(T) == typeof(float) ? FloatUnitRoundoff : DoubleUnitRoundoff;
        double tolerance = Math.Max(2 * n * unitRoundoff, Math.Sqrt(n * DoubleUnitRoundoff));
        return min > tolerance * max;
    }

    /// <summary>G = A^T A (lower triangle) and C = A^T B in double, converting float rows block by block.</summary>
    private static void LocalProducts<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<double> gram, MatrixSpan<double> cross)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rows == 0)
        {
            return;
        }

        if (typeof(T) == typeof(double))
        {
            ReadOnlyMatrixSpan<double> ad = AsDouble(a), bd = AsDouble(b);
            Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, ad, 0.0, gram);
            Blas.Gemm(1.0, ad, MatrixOp.Transpose, bd, MatrixOp.None, 0.0, cross);
            return;
        }

        int n = a.Cols, k = b.Cols;
        int block = Math.Min(ConvertBlockRows, a.Rows);
        var ablock = new Matrix<double>(block, n);
        var bblock = new Matrix<double>(block, k);
        for (int r0 = 0; r0 < a.Rows; r0 += block)
        {
            int rows = Math.Min(block, a.Rows - r0);
            for (int i = 0; i < rows; i++)
            {
                Widen(a.Row(r0 + i), ablock.AsSpan().Row(i));
                Widen(b.Row(r0 + i), bblock.AsSpan().Row(i));
            }

            double beta = r0 == 0 ? 0.0 : 1.0;
            ReadOnlyMatrixSpan<double> ab = ablock.AsReadOnlySpan().Slice(0, 0, rows, n);
            Blas.Syrk(Triangle.Lower, MatrixOp.Transpose, 1.0, ab, beta, gram);
            Blas.Gemm(1.0, ab, MatrixOp.Transpose, bblock.AsReadOnlySpan().Slice(0, 0, rows, k), MatrixOp.None, beta, cross);
        }
    }

    private static double SolveTsqr<T>(ICommunicator communicator, ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Cols, k = b.Cols;
        Span<double> rows = [a.Rows];
        communicator.AllReduceSum(rows);
        RequireRows((long)rows[0], n, ridge);

        // Local step: A_p = Q_p R_p, c_p = (Q_p^T B_p)[0..n); a shard with fewer than n rows gives a trapezoidal R
        // padded with zero rows. Sent as [packed upper triangle of R_p | c_p].
        int triangle = checked(n * (n + 1) / 2);
        var block = new T[triangle + (n * k)];
        LocalTriangle(a, b, block.AsSpan(0, triangle), block.AsSpan(triangle));

        int root = 0;
        bool isRoot = communicator.Rank == root;
        T[] all = isRoot ? new T[block.Length * communicator.Size] : [];
        communicator.Gather<T>(block, all, root);

        // Rank 0 reduces the stacked blocks [R_0; R_1; ...] (rank order) by one more QR and solves; it then
        // broadcasts the outcome (an error message, or nothing) and X.
        byte[] message = [];
        Span<double> condition = [0];
        if (isRoot)
        {
            try
            {
                condition[0] = SolveStacked(all, communicator.Size, n, k, ridge, x);
            }
            catch (ArithmeticException e)
            {
                message = Encoding.UTF8.GetBytes(e.Message);
                if (message.Length > MaxMessageBytes)
                {
                    message = message[..MaxMessageBytes];
                }
            }
        }

        Span<int> status = [message.Length];
        communicator.Broadcast(status, root);
        if (status[0] > 0)
        {
            if (!isRoot)
            {
                message = new byte[status[0]];
            }

            communicator.Broadcast<byte>(message, root);
            throw new ArithmeticException($"TSQR on rank {root}: {Encoding.UTF8.GetString(message)}");
        }

        BroadcastMatrix(communicator, x, root);
        communicator.Broadcast(condition, root);
        return condition[0];
    }

    private static void LocalTriangle<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, Span<T> packedR, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        packedR.Clear();
        c.Clear();
        int m = a.Rows, n = a.Cols, k = b.Cols;
        if (m == 0)
        {
            return;
        }

        var qr = new QrFactorization<T>(a);
        var qtb = Matrix<T>.CopyOf(b);
        qr.ApplyQ(Side.Left, MatrixOp.Transpose, qtb.AsSpan());
        int reflectors = Math.Min(m, n);
        ReadOnlyMatrixSpan<T> factors = qr.Factors;
        int p = 0;
        for (int i = 0; i < n; i++)
        {
            int length = n - i;
            if (i < reflectors)
            {
                factors.Row(i)[i..].CopyTo(packedR.Slice(p, length));
                qtb.AsReadOnlySpan().Row(i).CopyTo(c.Slice(i * k, k));
            }

            p += length;
        }
    }

    private static double SolveStacked<T>(T[] all, int size, int n, int k, double ridge, MatrixSpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int triangle = checked(n * (n + 1) / 2);
        int blockLength = triangle + (n * k);
        var stacked = new Matrix<T>(size * n, n);
        var rhs = new Matrix<T>(size * n, k);
        for (int r = 0; r < size; r++)
        {
            ReadOnlySpan<T> block = all.AsSpan(r * blockLength, blockLength);
            int p = 0;
            for (int i = 0; i < n; i++)
            {
                block.Slice(p, n - i).CopyTo(stacked.AsSpan().Row((r * n) + i)[i..]);
                p += n - i;
            }

            block.Slice(triangle, n * k).CopyTo(rhs.Slice(r * n, 0, n, k).Span);
        }

        var solver = new LeastSquaresSolver<T>(stacked.AsReadOnlySpan(), new LeastSquaresOptions { Method = LeastSquaresMethod.HouseholderQR, Ridge = ridge });
        solver.Solve(rhs.AsReadOnlySpan(), x);
        return solver.ConditionNumberEstimate;
    }

    private static void BroadcastMatrix<T>(ICommunicator communicator, MatrixSpan<T> x, int root)
        where T : unmanaged
    {
        var buffer = new T[x.Rows * x.Cols];
        if (communicator.Rank == root)
        {
            x.CopyTo(new MatrixSpan<T>(buffer, x.Rows, x.Cols));
        }

        communicator.Broadcast<T>(buffer, root);
        new ReadOnlyMatrixSpan<T>(buffer, x.Rows, x.Cols).CopyTo(x);
    }

    private static void RequireRows(long total, int n, double ridge)
    {
        if (total < n && ridge == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The ranks hold {total} rows in all but A has {n} columns: the least-squares problem is underdetermined (paper Theorem 2 needs at least as many datapoints as inputs). Add rows or a ridge > 0."));
        }
    }

    private static void PackLower(ReadOnlyMatrixSpan<double> g, Span<double> packed)
    {
        int p = 0;
        for (int i = 0; i < g.Rows; i++)
        {
            g.Row(i)[..(i + 1)].CopyTo(packed.Slice(p, i + 1));
            p += i + 1;
        }
    }

    private static void UnpackLower(ReadOnlySpan<double> packed, MatrixSpan<double> g)
    {
        int p = 0;
        for (int i = 0; i < g.Rows; i++)
        {
            packed.Slice(p, i + 1).CopyTo(g.Row(i));
            p += i + 1;
        }
    }

    private static void Widen<T>(ReadOnlySpan<T> from, Span<double> to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < from.Length; j++)
        {
            to[j] = double.CreateTruncating(from[j]);
        }
    }

    private static ReadOnlyMatrixSpan<double> AsDouble<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged => new(MemoryMarshal.Cast<T, double>(m.Span), m.Rows, m.Cols, m.Stride);
}
