namespace StarNet.Training;

/// <summary>
/// What one sweep of whole-network refinement did (issue #8): a bottom-up re-solve of each layer's weights on its
/// propagated inputs, each kept only where the network MSE (with codes re-solved by the encoder through the new
/// layers) does not rise. So <see cref="NetworkMse"/> is never above <see cref="NetworkMseBefore"/>.
/// </summary>
/// <param name="Sweep">The sweep, from 1.</param>
/// <param name="NetworkMseBefore">The network's training reconstruction MSE before the sweep.</param>
/// <param name="NetworkMse">The same after the sweep.</param>
/// <param name="DatapointsImproved">Datapoints whose reconstruction error fell in the sweep.</param>
/// <param name="DatapointsWorsened">Datapoints whose reconstruction error rose in the sweep (the total never does).</param>
/// <param name="WeightsAccepted">Per layer (index 0 = layer 1), whether its re-solved weights were kept.</param>
/// <param name="Seconds">Wall time of the sweep.</param>
public sealed record RefinementSweep(
    int Sweep,
    double NetworkMseBefore,
    double NetworkMse,
    long DatapointsImproved,
    long DatapointsWorsened,
    IReadOnlyList<bool> WeightsAccepted,
    double Seconds);
