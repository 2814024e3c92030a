using System.Numerics;
using StarNet.LinearAlgebra;
using StarNet.LinearAlgebra.Distributed;
using StarNet.Solvers;
using StarNet.Training;

namespace StarNet.Distributed;

/// <summary>
/// This process's share of a training set spread over the ranks of a job (paper Lemma 2): which global rows it
/// holds, and the few reductions the trainer needs to act on all rows: sums of metrics, the maximum residual,
/// and the weight solve (Theorem 2), whose communication does not depend on the number of rows. With one rank
/// every operation is local and the trainer does exactly what it does without a communicator.
/// </summary>
internal sealed class TrainingShard
{
    private TrainingShard(ICommunicator communicator, int localRows, long firstRow, long totalRows)
    {
        Communicator = communicator;
        LocalRows = localRows;
        FirstRow = firstRow;
        TotalRows = totalRows;
    }

    /// <summary>The job.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>Whether there is more than one rank.</summary>
    public bool IsDistributed => Communicator.Size > 1;

    /// <summary>The rows this rank holds.</summary>
    public int LocalRows { get; }

    /// <summary>The global index of this rank's first row (ranks hold consecutive blocks in rank order).</summary>
    public long FirstRow { get; }

    /// <summary>The rows of all ranks.</summary>
    public long TotalRows { get; }

    /// <summary>
    /// Collective: learns every rank's row count (one all-gather) and so the global position of this rank's rows.
    /// </summary>
    /// <param name="communicator">The job.</param>
    /// <param name="localRows">The rows this rank holds.</param>
    /// <returns>The shard.</returns>
    public static TrainingShard Create(ICommunicator communicator, int localRows)
    {
        if (communicator.Size == 1)
        {
            return new TrainingShard(communicator, localRows, 0, localRows);
        }

        var counts = new long[communicator.Size];
        communicator.AllGather<long>([localRows], counts);
        return new TrainingShard(communicator, localRows, counts.Take(communicator.Rank).Sum(), counts.Sum());
    }

    /// <summary>Replaces local sums by the sums over all ranks.</summary>
    /// <param name="values">Local sums in, global sums out.</param>
    public void Sum(Span<double> values)
    {
        if (IsDistributed)
        {
            Communicator.AllReduceSum(values);
        }
    }

    /// <summary>The sum over all ranks of a local sum.</summary>
    public double Sum(double value)
    {
        Span<double> values = [value];
        Sum(values);
        return values[0];
    }

    /// <summary>The maximum over all ranks.</summary>
    public double Max(double value)
    {
        if (!IsDistributed)
        {
            return value;
        }

        Span<double> values = [value];
        Communicator.AllReduceMax(values);
        return values[0];
    }

    /// <summary>Replaces local maxima by the maxima over all ranks, element-wise.</summary>
    /// <param name="values">Local maxima in, global maxima out.</param>
    public void Max(Span<double> values)
    {
        if (IsDistributed)
        {
            Communicator.AllReduceMax(values);
        }
    }

    /// <summary>
    /// The weight solve <c>[H 1] X = T</c> over the rows of every rank: with one rank the single-process
    /// <see cref="LayerSolver.LeastSquares"/>; otherwise <see cref="DistributedLeastSquares"/>, by the distributed
    /// normal equations for <see cref="SolverMethod.NormalEquations"/> and by TSQR for the QR solvers.
    /// </summary>
    /// <returns>The condition estimate of the triangular factor (the same on every rank).</returns>
    public double LeastSquares<T>(ReadOnlyMatrixSpan<T> a, ReadOnlyMatrixSpan<T> b, MatrixSpan<T> x, SolverMethod method, double ridge)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!IsDistributed)
        {
            return LayerSolver.LeastSquares(a, b, x, method, ridge);
        }

        try
        {
            return DistributedLeastSquares.Solve(Communicator, a, b, x, DistributedMethod(method), ridge);
        }
        catch (ArithmeticException e)
        {
            throw new InvalidOperationException(
                $"The distributed least-squares system built from the layer's inputs [H, 1] (weight solve, {TotalRows} rows on {Communicator.Size} ranks) is numerically rank deficient: {e.Message} " +
                "A ridge > 0 (TrainingOptions.Ridge), more datapoints or another seed may help.", e);
        }
    }

    /// <summary>The distributed counterpart of a single-process solver: normal equations stay normal equations, QR becomes TSQR.</summary>
    public static DistributedSolveMethod DistributedMethod(SolverMethod method) =>
        method == SolverMethod.NormalEquations ? DistributedSolveMethod.NormalEquations : DistributedSolveMethod.Tsqr;
}
