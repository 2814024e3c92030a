using System.Collections.ObjectModel;
using System.Numerics;

namespace StarNet.Inference;

/// <summary>
/// The calibration of the outlier score on the training set's per-layer residual norms (the paper's Lemma 4:
/// the norm of each datapoint's residual, layer by layer, measures how well the layer explains it).
/// </summary>
/// <remarks>
/// <para>
/// For a datapoint x, inference recovers the latents layer by layer and leaves, at layer i, the residual norm
/// <c>r_i(x) = ||W_i h*_(i-1) + b_i - a^-1(h_i)||</c> (pre-activation). Norms are positive and right-skewed, so
/// they are compared on a log scale. From the training set, per layer: the median <c>m_i</c> of
/// <c>ln r_i</c> and the scaled median absolute deviation <c>s_i = 1.4826 MAD(ln r_i)</c> (which equals the
/// standard deviation for normal data). Then
/// <c>z_i(x) = (ln r_i(x) - m_i) / s_i</c> and the score is <c>max_i z_i(x)</c> over the scored layers.
/// Layers whose training residuals are all (numerically) zero, such as square layers (Lemma 5), have
/// <c>s_i = 0</c> and are not scored.
/// </para>
/// <para>
/// The score reads as "how many standard deviations above typical the worst layer's residual is". Because the
/// maximum over layers of z-scores is not a standard normal, the calibration also keeps 1001 quantiles of the
/// training set's own scores, and <see cref="TailProbability"/> returns the fraction of training datapoints that
/// scored at least as high: an empirical p-value, the "probability field defined over such a measure" of Lemma 4.
/// A small tail probability says the decoder explains the datapoint worse than almost all of its training data:
/// an outlier, or (for in-distribution data) a sign that inference or a layer is failing for it.
/// </para>
/// </remarks>
public sealed class OutlierCalibration
{
    /// <summary>Number of stored quantiles of the training scores.</summary>
    public const int QuantileCount = 1001;

    /// <summary>The normal-consistency factor of the median absolute deviation.</summary>
    public const double MadScale = 1.4826;

    private readonly double[] _logMedians;
    private readonly double[] _logScales;
    private readonly double[] _quantiles;

    /// <summary>Creates a calibration from stored statistics (as read from a model file).</summary>
    /// <param name="logMedians">Per layer (index 0 = layer 1), the median of the log residual norm.</param>
    /// <param name="logScales">Per layer, the scaled MAD of the log residual norm; 0 marks a layer that is not scored.</param>
    /// <param name="trainingScoreQuantiles">Ascending quantiles of the training scores at evenly spaced probabilities 0 to 1.</param>
    /// <exception cref="ArgumentException">Lengths disagree, a value is not finite, no layer is scored, or the quantiles are not ascending.</exception>
    public OutlierCalibration(ReadOnlySpan<double> logMedians, ReadOnlySpan<double> logScales, ReadOnlySpan<double> trainingScoreQuantiles)
    {
        if (logMedians.Length != logScales.Length || logMedians.Length == 0)
        {
            throw new ArgumentException($"Outlier calibration: {logMedians.Length} medians and {logScales.Length} scales; need one of each per layer.", nameof(logScales));
        }

        if (trainingScoreQuantiles.Length < 2)
        {
            throw new ArgumentException($"Outlier calibration: {trainingScoreQuantiles.Length} quantiles; need at least 2.", nameof(trainingScoreQuantiles));
        }

        bool anyScored = false;
        for (int i = 0; i < logMedians.Length; i++)
        {
            if (!double.IsFinite(logMedians[i]) || !double.IsFinite(logScales[i]) || logScales[i] < 0)
            {
                throw new ArgumentException($"Outlier calibration of layer {i + 1}: median {logMedians[i]} and scale {logScales[i]} must be finite, the scale non-negative.", nameof(logScales));
            }

            anyScored |= logScales[i] > 0;
        }

        if (!anyScored)
        {
            throw new ArgumentException("Outlier calibration: no layer has a positive scale, so no layer can be scored.", nameof(logScales));
        }

        for (int i = 0; i < trainingScoreQuantiles.Length; i++)
        {
            if (!double.IsFinite(trainingScoreQuantiles[i]) || (i > 0 && trainingScoreQuantiles[i] < trainingScoreQuantiles[i - 1]))
            {
                throw new ArgumentException($"Outlier calibration: quantile {i} ({trainingScoreQuantiles[i]}) is not finite or not ascending.", nameof(trainingScoreQuantiles));
            }
        }

        _logMedians = logMedians.ToArray();
        _logScales = logScales.ToArray();
        _quantiles = trainingScoreQuantiles.ToArray();
        LogMedians = new ReadOnlyCollection<double>(_logMedians);
        LogScales = new ReadOnlyCollection<double>(_logScales);
        TrainingScoreQuantiles = new ReadOnlyCollection<double>(_quantiles);
    }

    /// <summary>Per layer (index 0 = layer 1), the training median of ln r_i.</summary>
    public IReadOnlyList<double> LogMedians { get; }

    /// <summary>Per layer, 1.4826 times the training MAD of ln r_i; 0 for a layer that is not scored.</summary>
    public IReadOnlyList<double> LogScales { get; }

    /// <summary>Ascending quantiles of the training set's scores at probabilities k / (count - 1).</summary>
    public IReadOnlyList<double> TrainingScoreQuantiles { get; }

    /// <summary>The number of layers.</summary>
    public int LayerCount => _logMedians.Length;

    /// <summary>Scores one datapoint from its per-layer residual norms.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="layerResidualNorms">r_1 ... r_K (index 0 = layer 1).</param>
    /// <exception cref="ArgumentException">The number of norms is not the layer count.</exception>
    public OutlierScore Evaluate<T>(ReadOnlySpan<T> layerResidualNorms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layerResidualNorms.Length != _logMedians.Length)
        {
            throw new ArgumentException($"Got {layerResidualNorms.Length} residual norms for a {_logMedians.Length}-layer calibration.", nameof(layerResidualNorms));
        }

        double best = double.NegativeInfinity;
        int worst = 0;
        for (int i = 0; i < _logMedians.Length; i++)
        {
            if (_logScales[i] > 0)
            {
                double z = (SafeLog(double.CreateTruncating(layerResidualNorms[i])) - _logMedians[i]) / _logScales[i];
                if (z > best || double.IsNaN(z))
                {
                    best = z;
                    worst = i + 1;
                }
            }
        }

        return new OutlierScore(best, TailProbability(best), worst);
    }

    /// <summary>The fraction of training datapoints whose score is at least <paramref name="score"/>, by linear interpolation between the stored quantiles.</summary>
    /// <param name="score">A score from <see cref="Evaluate{T}"/>.</param>
    public double TailProbability(double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        double[] q = _quantiles;
        if (score <= q[0])
        {
            return 1.0;
        }

        if (score > q[^1])
        {
            return 0.0;
        }

        // Largest k with q[k] < score; then interpolate the cumulative probability between k and k + 1.
        int k = Array.BinarySearch(q, score);
        if (k >= 0)
        {
            while (k > 0 && q[k - 1] >= score)
            {
                k--;
            }

            return 1.0 - ((double)k / (q.Length - 1));
        }

        int hi = ~k;
        int lo = hi - 1;
        double fraction = (score - q[lo]) / (q[hi] - q[lo]);
        double cdf = (lo + fraction) / (q.Length - 1);
        return 1.0 - cdf;
    }

    /// <summary>
    /// Fits the calibration to per-layer training residual norms, or returns null when no layer can be scored.
    /// </summary>
    /// <param name="norms">norms[i][n]: layer i + 1's residual norm of training datapoint n.</param>
    /// <param name="scorable">Per layer, whether its residual can carry information (false for square layers, Lemma 5).</param>
    internal static OutlierCalibration? Fit(double[][] norms, bool[] scorable)
    {
        int layers = norms.Length;
        int n = norms[0].Length;
        var medians = new double[layers];
        var scales = new double[layers];
        var logs = new double[n];
        for (int i = 0; i < layers; i++)
        {
            for (int j = 0; j < n; j++)
            {
                logs[j] = SafeLog(norms[i][j]);
            }

            double median = Median(logs);
            for (int j = 0; j < n; j++)
            {
                logs[j] = Math.Abs(logs[j] - median);
            }

            double scale = MadScale * Median(logs);
            bool degenerate = !scorable[i] || !(scale > 1e-12) || !double.IsFinite(scale) || !double.IsFinite(median) || median < LogFloor + 1;
            medians[i] = double.IsFinite(median) ? median : 0;
            scales[i] = degenerate ? 0 : scale;
        }

        if (!scales.Any(s => s > 0))
        {
            return null;
        }

        var scores = new double[n];
        for (int j = 0; j < n; j++)
        {
            double best = double.NegativeInfinity;
            for (int i = 0; i < layers; i++)
            {
                if (scales[i] > 0)
                {
                    best = Math.Max(best, (SafeLog(norms[i][j]) - medians[i]) / scales[i]);
                }
            }

            scores[j] = best;
        }

        Array.Sort(scores);
        var quantiles = new double[QuantileCount];
        for (int k = 0; k < QuantileCount; k++)
        {
            double pos = (double)k / (QuantileCount - 1) * (n - 1);
            int lo = (int)Math.Floor(pos);
            int hi = Math.Min(lo + 1, n - 1);
            quantiles[k] = scores[lo] + ((pos - lo) * (scores[hi] - scores[lo]));
        }

        return new OutlierCalibration(medians, scales, quantiles);
    }

    /// <summary>ln of a norm, with zero (and denormals) floored so that exact fits give a finite value.</summary>
    private static double SafeLog(double norm) => Math.Log(Math.Max(norm, Math.Exp(LogFloor)));

    private const double LogFloor = -700;

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }
}
