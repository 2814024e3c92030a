namespace StarNet.Model.Convolution;

/// <summary>How a conv-unpool layer pads its input map before the stride-1 convolution.</summary>
public enum ConvolutionPadding
{
    /// <summary>
    /// Full convolution (the paper's choice, Lemma 7): k - 1 zeros on every side, so an h x w map becomes
    /// (h + k - 1) x (w + k - 1) and every input pixel, borders included, meets all k x k kernel taps.
    /// </summary>
    Full = 0,

    /// <summary>
    /// "Same" convolution: (k - 1) / 2 zeros before and k - 1 - (k - 1) / 2 after in each direction (PyTorch's
    /// <c>padding="same"</c>), so the map keeps its size and border pixels meet fewer taps.
    /// </summary>
    Same = 1,
}
