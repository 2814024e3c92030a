using System.Text;

namespace StarNet.LinearAlgebra.Distributed;

/// <summary>
/// Agreement on failures at a checkpoint, so that a failure on one rank stops every rank cleanly with a clear
/// error instead of leaving the others blocked in their next collective: each rank states whether its local
/// work failed, one all-gather of short messages tells every rank about every failure, and all of them throw
/// the same <see cref="RankFailedException"/>.
/// </summary>
public static class RankFailures
{
    /// <summary>Bytes of each rank's message that are exchanged (UTF-8, cut to fit).</summary>
    public const int MessageBytes = 512;

    /// <summary>
    /// A collective checkpoint: returns normally when no rank failed, and otherwise throws on every rank.
    /// </summary>
    /// <param name="communicator">The job.</param>
    /// <param name="failure">This rank's failure since the last checkpoint, or null.</param>
    /// <exception cref="RankFailedException">Some rank failed; the exception lists every failed rank and its message.</exception>
    public static void Agree(ICommunicator communicator, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var mine = new byte[MessageBytes];
        if (failure is not null)
        {
            string text = string.IsNullOrWhiteSpace(failure.Message) ? failure.GetType().Name : failure.Message;
            Utf8Prefix(text, mine.AsSpan(1));
            mine[0] = 1;
        }

        var all = new byte[MessageBytes * communicator.Size];
        communicator.AllGather<byte>(mine, all);
        var failed = new List<(int Rank, string Message)>();
        for (int r = 0; r < communicator.Size; r++)
        {
            ReadOnlySpan<byte> block = all.AsSpan(r * MessageBytes, MessageBytes);
            if (block[0] != 0)
            {
                ReadOnlySpan<byte> text = block[1..];
                int end = text.IndexOf((byte)0);
                failed.Add((r, Encoding.UTF8.GetString(end < 0 ? text : text[..end])));
            }
        }

        if (failed.Count > 0)
        {
            throw new RankFailedException(failed, failure);
        }
    }

    /// <summary>Runs <paramref name="work"/> on this rank, then <see cref="Agree"/>s on whether it failed on any rank.</summary>
    /// <param name="communicator">The job.</param>
    /// <param name="work">Local work (no collectives inside, or the others could wait for a rank that failed).</param>
    /// <exception cref="RankFailedException">The work failed on some rank.</exception>
    public static void Run(ICommunicator communicator, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Exception? failure = null;
        try
        {
            work();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e;
        }

        Agree(communicator, failure);
    }

    /// <summary>Writes the longest prefix of <paramref name="text"/> that fits with a terminating zero, on a character boundary.</summary>
    private static void Utf8Prefix(string text, Span<byte> destination)
    {
        int chars = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > destination.Length - 1)
        {
            chars = Math.Max(0, chars - Math.Max(1, chars / 8));
            if (chars > 0 && char.IsLowSurrogate(text[chars]))
            {
                chars--;
            }
        }

        Encoding.UTF8.GetBytes(text.AsSpan(0, chars), destination);
    }
}

/// <summary>Some ranks of a job failed; thrown on every rank by <see cref="RankFailures.Agree"/>.</summary>
public sealed class RankFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failures">Each failed rank with its message, in rank order.</param>
    /// <param name="localFailure">This rank's own failure, if it is one of them.</param>
    public RankFailedException(IReadOnlyList<(int Rank, string Message)> failures, Exception? localFailure)
        : base(Describe(failures), localFailure)
    {
        Failures = failures;
    }

    /// <summary>Each failed rank with its message, in rank order.</summary>
    public IReadOnlyList<(int Rank, string Message)> Failures { get; }

    private static string Describe(IReadOnlyList<(int Rank, string Message)> failures) =>
        failures.Count == 1
            ? $"rank {failures[0].Rank} failed: {failures[0].Message}"
            : $"{failures.Count} ranks failed: " + string.Join("; ", failures.Select(f => $"rank {f.Rank}: {f.Message}"));
}
