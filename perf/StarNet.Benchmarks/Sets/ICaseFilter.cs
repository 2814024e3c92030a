namespace StarNet.Benchmarks.Sets;

/// <summary>
/// A benchmark class whose parameters are a cartesian product with combinations that mean nothing (a peer that has
/// no counterpart of one of our methods). Cases whose <see cref="IsMeaningful"/> is false are left out of every set
/// (evaluated like <see cref="IQuickSet"/>: on an instance with the parameters set and no setup run).
/// </summary>
public interface ICaseFilter
{
    /// <summary>False when the current parameter combination is not a real case.</summary>
    bool IsMeaningful { get; }
}
