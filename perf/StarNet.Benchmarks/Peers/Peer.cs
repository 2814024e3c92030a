namespace StarNet.Benchmarks.Peers;

/// <summary>The implementations a benchmark compares: ours always, the native peer when its library loads.</summary>
public static class Peer
{
    public const string StarNetName = "StarNet";
    public const string OpenBlasName = "OpenBLAS";

    public const string LapackeName = "LAPACKE";

    /// <summary>Our implementation, plus LAPACKE (with the CBLAS it needs) when present: the LAPACK-layer peers.</summary>
    public static IEnumerable<string> LapackImplementations => Lapacke.IsAvailable ? [StarNetName, LapackeName] : [StarNetName];

    /// <summary>Our implementation, plus OpenBLAS/LAPACKE when present.</summary>
    public static IEnumerable<string> Implementations => OpenBlas.HasBlas ? [StarNetName, OpenBlasName] : [StarNetName];
}
