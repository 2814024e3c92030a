namespace StarNet.Testing;

/// <summary>
/// Bytes a piece of code allocates per run in its steady state, for the zero-allocation tests of hot paths.
/// A per-call allocation shows in every measured window; the runtime's one-time tier-up work (installing optimised
/// code after its call-counting delay, which clean-clone CI runs under load caught inside a measured call: 3,296
/// bytes once, not per call) shows in at most a few windows. So the result is the cleanest of several windows,
/// separated by pauses longer than the tiering delay (100 ms); a test asserting it is 0 still fails for any code
/// that allocates on every call.
/// </summary>
internal static class SteadyStateAllocation
{
    /// <summary>The fewest bytes allocated on this thread by <paramref name="callsPerWindow"/> calls of <paramref name="run"/>, over up to <paramref name="windows"/> windows (stops at the first clean one).</summary>
    public static long Fewest(Action run, int callsPerWindow = 20, int windows = 8)
    {
        long fewest = long.MaxValue;
        for (int window = 0; window < windows && fewest != 0; window++)
        {
            run();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 0; call < callsPerWindow; call++)
            {
                run();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            if (fewest != 0)
            {
                Thread.Sleep(150);
            }
        }

        return fewest;
    }
}
