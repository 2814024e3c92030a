namespace StarNet.Numerics;

/// <summary>
/// Row-block parallel loops for the training passes. Blocks have a fixed size independent of the thread count,
/// and bodies write only per-row or per-block results, so results never depend on how many threads ran them.
/// </summary>
internal static class RowParallel
{
    /// <summary>Rows per block.</summary>
    public const int BlockRows = 256;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, rows) in blocks of <see cref="BlockRows"/>.</summary>
    /// <param name="rows">Row count.</param>
    /// <param name="threads">Most threads to use.</param>
    /// <param name="body">Work on rows [start, end).</param>
    /// <param name="cancellationToken">Stops the loop between blocks.</param>
    public static void For(int rows, int threads, Action<int, int> body, CancellationToken cancellationToken = default)
    {
        int blocks = (rows + BlockRows - 1) / BlockRows;
        if (threads <= 1 || blocks <= 1)
        {
            for (int blk = 0; blk < blocks; blk++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(blk * BlockRows, Math.Min(rows, (blk + 1) * BlockRows));
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0, blocks, options, blk => body(blk * BlockRows, Math.Min(rows, (blk + 1) * BlockRows)));
    }
}
