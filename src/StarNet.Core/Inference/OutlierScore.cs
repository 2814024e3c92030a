using System.Runtime.InteropServices;

namespace StarNet.Inference;

/// <summary>How unusual a datapoint's per-layer residuals are compared with the training set (see <see cref="OutlierCalibration"/>).</summary>
/// <param name="Score">The largest, over the scored layers, robust z-score of the log residual norm: about how many standard deviations the worst layer's residual lies above the training median, on a log scale.</param>
/// <param name="TailProbability">The fraction of training datapoints whose own score is at least <see cref="Score"/>: near 1 for typical data, near 0 for outliers (resolution about 1/1000).</param>
/// <param name="WorstLayer">The layer (1 = nearest the latent code) whose residual gave the score.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct OutlierScore(double Score, double TailProbability, int WorstLayer);
