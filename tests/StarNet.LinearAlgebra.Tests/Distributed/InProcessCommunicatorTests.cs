using StarNet.LinearAlgebra.Distributed;

namespace StarNet.LinearAlgebra.Tests.Distributed;

public class InProcessCommunicatorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Collectives_give_every_rank_the_rank_ordered_results(int size)
    {
        var results = InProcessCommunicatorGroup.Run(size, c =>
        {
            // Values whose sum depends on the order of addition, to pin the rank order down.
            double[] sum = [c.Rank == 0 ? 1.0 : 1e-16 * c.Rank, c.Rank];
            c.AllReduceSum(sum);
            double[] max = [-c.Rank, c.Rank];
            c.AllReduceMax(max);
            int[] broadcast = c.Rank == size - 1 ? [4, 2] : [0, 0];
            c.Broadcast<int>(broadcast, size - 1);
            var gathered = c.Rank == 0 ? new long[size * 2] : [];
            c.Gather<long>([c.Rank, 10 + c.Rank], gathered, 0);
            var all = new short[size];
            c.AllGather<short>([(short)(c.Rank * 3)], all);
            c.Barrier();
            return (sum, max, broadcast, gathered, all, c.Rank, c.Size);
        });

        double expected = 1.0;
        for (int r = 1; r < size; r++)
        {
            expected += 1e-16 * r;
        }

        for (int r = 0; r < size; r++)
        {
            var result = results[r];
            Assert.Equal((r, size), (result.Rank, result.Size));
            Assert.Equal(expected, result.sum[0]);
            Assert.Equal(size * (size - 1) / 2.0, result.sum[1]);
            Assert.Equal([0.0, size - 1], result.max);
            Assert.Equal([4, 2], result.broadcast);
            Assert.Equal(Enumerable.Range(0, size).Select(i => (short)(i * 3)), result.all);
            if (r == 0)
            {
                Assert.Equal(Enumerable.Range(0, size).SelectMany(i => new long[] { i, 10 + i }), result.gathered);
            }
        }
    }

    [Fact]
    public void A_failing_rank_stops_the_others_and_its_exception_is_rethrown()
    {
        var seen = new Exception?[3];
        var e = Assert.Throws<FileNotFoundException>(() => InProcessCommunicatorGroup.Run(3, c =>
        {
            try
            {
                if (c.Rank == 1)
                {
                    throw new FileNotFoundException("no shard");
                }

                c.Barrier(); // would wait forever for rank 1 without the abort
            }
            catch (Exception ex)
            {
                seen[c.Rank] = ex;
                throw;
            }
        }));
        Assert.Equal("no shard", e.Message);
        Assert.IsType<CommunicatorAbortedException>(seen[0]);
        Assert.IsType<CommunicatorAbortedException>(seen[2]);
        Assert.Contains("rank 1 failed: no shard", seen[0]!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_collectives_are_reported_instead_of_corrupting_data()
    {
        var e = Assert.ThrowsAny<Exception>(() => InProcessCommunicatorGroup.Run(2, c =>
        {
            double[] values = new double[c.Rank == 0 ? 3 : 4];
            c.AllReduceSum(values);
        }));
        Assert.Contains("Collective mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Abort_unblocks_every_rank()
    {
        var e = Assert.Throws<CommunicatorAbortedException>(() => InProcessCommunicatorGroup.Run(2, c =>
        {
            if (c.Rank == 0)
            {
                c.Abort(3);
            }

            c.Barrier();
        }));
        Assert.Contains("Abort(3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_failures_are_agreed_and_thrown_on_every_rank()
    {
        var outcomes = InProcessCommunicatorGroup.Run(3, c =>
        {
            try
            {
                RankFailures.Run(c, () =>
                {
                    if (c.Rank != 0)
                    {
                        throw new InvalidDataException($"bad file on node {c.Rank}");
                    }
                });
                return "no failure";
            }
            catch (RankFailedException e)
            {
                return e.Message;
            }
        });
        Assert.All(outcomes, m => Assert.Equal("2 ranks failed: rank 1: bad file on node 1; rank 2: bad file on node 2", m));
        InProcessCommunicatorGroup.Run(2, c => RankFailures.Agree(c, null));
    }

    [Fact]
    public void Long_failure_messages_are_cut_on_a_character_boundary()
    {
        string text = string.Concat(Enumerable.Repeat("é€😀", 200));
        var e = Assert.Throws<RankFailedException>(() => RankFailures.Agree(SingleProcessCommunicator.Instance, new InvalidOperationException(text)));
        string message = Assert.Single(e.Failures).Message;
        Assert.StartsWith(message, text, StringComparison.Ordinal);
        Assert.True(message.Length > 100);
        Assert.DoesNotContain('\uFFFD', message);
    }

    [Fact]
    public void Single_process_communicator_is_rank_zero_of_one()
    {
        ICommunicator c = SingleProcessCommunicator.Instance;
        double[] values = [1, 2];
        c.AllReduceSum(values);
        c.AllReduceMax(values);
        var all = new int[2];
        c.AllGather<int>([5, 6], all);
        Assert.Equal((0, 1), (c.Rank, c.Size));
        Assert.Equal([1.0, 2.0], values);
        Assert.Equal([5, 6], all);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Broadcast<int>(all, 1));
        Assert.Throws<ArgumentException>(() => c.Gather<int>([1], new int[2], 0));
    }

    [Fact]
    public void Metered_communicator_counts_calls_and_bytes()
    {
        var metered = new MeteredCommunicator(SingleProcessCommunicator.Instance);
        metered.AllReduceSum(new double[10]);
        metered.Broadcast<float>(new float[4], 0);
        metered.Barrier();
        Assert.Equal((3L, 96L), (metered.Calls, metered.Bytes));
        metered.Reset();
        Assert.Equal((0L, 0L, TimeSpan.Zero), (metered.Calls, metered.Bytes, metered.Elapsed));
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(2, 5)]
    [InlineData(60000, 7)]
    [InlineData(0, 2)]
    public void Row_partitions_cover_the_rows_in_order_and_differ_by_at_most_one(long total, int size)
    {
        var parts = Enumerable.Range(0, size).Select(r => RowPartition.For(total, r, size)).ToArray();
        Assert.Equal(0, parts[0].Start);
        for (int r = 1; r < size; r++)
        {
            Assert.Equal(parts[r - 1].End, parts[r].Start);
        }

        Assert.Equal(total, parts[^1].End);
        Assert.True(parts.Max(p => p.Count) - parts.Min(p => p.Count) <= 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => RowPartition.For(total, size, size));
    }
}
