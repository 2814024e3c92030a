using StarNet.LinearAlgebra.Distributed;

namespace StarNet.Distributed;

/// <summary>Brings per-row values of every rank to rank 0, for the few results that need all of them at once (quantiles).</summary>
internal static class RowGather
{
    /// <summary>
    /// Collective: each series (one per layer, say) of every rank, concatenated in rank order, on rank 0; the
    /// other ranks get their own series back. Blocks are padded to the largest shard with NaN, which is dropped.
    /// </summary>
    /// <param name="communicator">The job.</param>
    /// <param name="series">This rank's series, all of this rank's row count.</param>
    /// <returns>On rank 0 the series of all rows; elsewhere <paramref name="series"/>.</returns>
    public static double[][] OnRoot(ICommunicator communicator, double[][] series)
    {
        Span<double> largest = [series.Length == 0 ? 0 : series[0].Length];
        communicator.AllReduceMax(largest);
        int block = (int)largest[0];
        var mine = new double[series.Length * block];
        mine.AsSpan().Fill(double.NaN);
        for (int i = 0; i < series.Length; i++)
        {
            series[i].CopyTo(mine, i * block);
        }

        double[] all = communicator.Rank == 0 ? new double[mine.Length * communicator.Size] : [];
        communicator.Gather<double>(mine, all, 0);
        if (communicator.Rank != 0)
        {
            return series;
        }

        return [.. Enumerable.Range(0, series.Length).Select(i => Enumerable.Range(0, communicator.Size)
            .SelectMany(r => all.AsSpan((r * mine.Length) + (i * block), block).ToArray())
            .Where(v => !double.IsNaN(v))
            .ToArray())];
    }
}
