using System.Globalization;
using StarNet.Data;

namespace StarNet.Model.Convolution;

/// <summary>
/// The tensor shapes of one conv-unpool layer (paper section 3.2, Figure 1), decoder direction: an input map of
/// <c>c_in x h x w</c> is convolved (k x k, stride 1, <see cref="ConvolutionPadding"/>) into <c>c_out u^2</c>
/// channels of <c>h' x w'</c>, and depth-to-space with factor u turns every group of u^2 channels into u x u
/// neighbouring pixels of one channel of the output map <c>c_out x (u h') x (u w')</c>.
/// </summary>
/// <remarks>
/// <para>
/// Conventions (the same as PyTorch's <c>pixel_shuffle(conv2d(x, K, b, padding), u)</c>): the convolution is a
/// cross-correlation, <c>y[o, p, q] = b[o] + sum_(c, a, e) K[o, c, a, e] x[c, p + a - padTop, q + e - padLeft]</c>
/// with zeros outside the map; depth-to-space puts conv channel <c>o = c u^2 + i u + j</c> at output pixel
/// <c>(c, u p + i, u q + j)</c>. Maps are flattened channel-major (CHW), as datasets store images.
/// </para>
/// <para>Any positive sizes can be described; the paper's conditions are checked by <see cref="Check"/>.</para>
/// </remarks>
public sealed record ConvUnpoolGeometry
{
    /// <summary>The largest number of values in one map (input or output) or one kernel, so that sizes cannot overflow.</summary>
    public const int MaxElements = 1 << 26;

    /// <summary>Describes a layer by its input map, kernel, padding, output channels and unpooling factor.</summary>
    /// <param name="input">The input (latent) map, c_in x h x w.</param>
    /// <param name="kernelSize">k, the side of the square kernel.</param>
    /// <param name="padding">Full (default in the paper) or same.</param>
    /// <param name="outputChannels">c_out, the channels of the output map after depth-to-space.</param>
    /// <param name="unpool">u, the depth-to-space factor in both directions (1 for a plain convolution).</param>
    /// <exception cref="ArgumentException">A size is not positive, or a map or kernel is too large.</exception>
    public ConvUnpoolGeometry(ImageShape input, int kernelSize, ConvolutionPadding padding, int outputChannels, int unpool)
    {
        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            throw new ArgumentException($"The conv-unpool input map {input} has a dimension that is not positive.", nameof(input));
        }

        Require(kernelSize, nameof(kernelSize), "kernel size k");
        Require(outputChannels, nameof(outputChannels), "output channel count c_out");
        Require(unpool, nameof(unpool), "unpooling factor u");
        if (!Enum.IsDefined(padding))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding.");
        }

        Input = input;
        KernelSize = kernelSize;
        Padding = padding;
        OutputChannels = outputChannels;
        Unpool = unpool;
        PadBefore = padding == ConvolutionPadding.Full ? kernelSize - 1 : (kernelSize - 1) / 2;
        int padAfter = kernelSize - 1 - (padding == ConvolutionPadding.Full ? 0 : PadBefore);
        ConvHeight = input.Height + PadBefore + padAfter - kernelSize + 1;
        ConvWidth = input.Width + PadBefore + padAfter - kernelSize + 1;

        long conv = (long)outputChannels * unpool * unpool;
        long outputLength = conv * ConvHeight * ConvWidth;
        long kernelLength = conv * input.Channels * kernelSize * kernelSize;
        if (conv > MaxElements || outputLength > MaxElements || kernelLength > MaxElements || (long)input.Channels * input.Height * input.Width > MaxElements)
        {
            throw new ArgumentException(
                $"The conv-unpool layer {Describe(input, kernelSize, padding, outputChannels, unpool)} is too large: " +
                $"a map or the kernel would exceed {MaxElements} values.");
        }

        ConvChannels = (int)conv;
        Output = new ImageShape(outputChannels, unpool * ConvHeight, unpool * ConvWidth);
    }

    /// <summary>The input (latent) map, c_in x h x w.</summary>
    public ImageShape Input { get; }

    /// <summary>k, the side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Full or same.</summary>
    public ConvolutionPadding Padding { get; }

    /// <summary>c_out, the channels of the output map.</summary>
    public int OutputChannels { get; }

    /// <summary>u, the depth-to-space factor.</summary>
    public int Unpool { get; }

    /// <summary>Zeros added before the first row and column (k - 1 for full, (k - 1) / 2 for same).</summary>
    public int PadBefore { get; }

    /// <summary>c_out u^2, the channels the convolution produces (one kernel and one bias each).</summary>
    public int ConvChannels { get; }

    /// <summary>h', the height of the convolution's output (h + k - 1 for full, h for same).</summary>
    public int ConvHeight { get; }

    /// <summary>w', the width of the convolution's output.</summary>
    public int ConvWidth { get; }

    /// <summary>The output map after depth-to-space, c_out x (u h') x (u w').</summary>
    public ImageShape Output { get; }

    /// <summary>c_in, the channels of the input map.</summary>
    public int InputChannels => Input.Channels;

    /// <summary>Values in one input map, c_in h w: the unknowns of one image's latent solve.</summary>
    public int InputLength => Input.Size;

    /// <summary>Values in one output map, c_out u^2 h' w': the equations of one image's latent solve.</summary>
    public int OutputLength => Output.Size;

    /// <summary>Convolution positions per image, h' w': the equations one image adds to each kernel's solve.</summary>
    public int Positions => ConvHeight * ConvWidth;

    /// <summary>Taps of one kernel, c_in k^2 (one im2col patch without the constant).</summary>
    public int KernelTaps => InputChannels * KernelSize * KernelSize;

    /// <summary>Unknowns of one kernel's weight solve, c_in k^2 + 1 (taps and bias).</summary>
    public int KernelUnknowns => KernelTaps + 1;

    /// <summary>The shape of the kernel tensor, [c_out u^2, c_in, k, k] (PyTorch's Conv2d weight layout).</summary>
    public long[] KernelShape => [ConvChannels, InputChannels, KernelSize, KernelSize];

    /// <summary>
    /// Builds the layer that produces <paramref name="output"/>, working backwards from the data as a decoder is
    /// designed: h' = H / u, then h = h' - k + 1 (full) or h = h' (same).
    /// </summary>
    /// <param name="output">The output map, c_out x H x W.</param>
    /// <param name="inputChannels">c_in.</param>
    /// <param name="kernelSize">k.</param>
    /// <param name="padding">Full or same.</param>
    /// <param name="unpool">u.</param>
    /// <exception cref="ArgumentException">H or W is not a multiple of u, or the input map would be empty; the message gives the numbers.</exception>
    public static ConvUnpoolGeometry ForOutput(ImageShape output, int inputChannels, int kernelSize, ConvolutionPadding padding, int unpool)
    {
        Require(unpool, nameof(unpool), "unpooling factor u");
        Require(kernelSize, nameof(kernelSize), "kernel size k");
        if (output.Height % unpool != 0 || output.Width % unpool != 0)
        {
            throw new ArgumentException(
                $"A conv-unpool layer with u = {unpool} cannot produce a {output} map: its height and width must be multiples of u.", nameof(output));
        }

        int shrink = padding == ConvolutionPadding.Full ? kernelSize - 1 : 0;
        int h = (output.Height / unpool) - shrink;
        int w = (output.Width / unpool) - shrink;
        if (h < 1 || w < 1)
        {
            throw new ArgumentException(
                $"A {kernelSize}x{kernelSize} {padding.ToString().ToLowerInvariant()} conv-unpool layer with u = {unpool} cannot produce a {output} map: " +
                $"the convolution's output would be {output.Height / unpool}x{output.Width / unpool}, which a full {kernelSize}x{kernelSize} convolution " +
                $"cannot reach from any input (it needs at least {kernelSize}x{kernelSize}); use same padding, a smaller kernel or a smaller u.", nameof(output));
        }

        return new ConvUnpoolGeometry(new ImageShape(inputChannels, h, w), kernelSize, padding, output.Channels, unpool);
    }

    /// <summary>
    /// Checks Theorem 3 (the latents stay determined) and, when <paramref name="weightImages"/> is given,
    /// Theorem 4 (each kernel's weight solve stays determined) for this layer.
    /// </summary>
    /// <param name="layerName">How messages name the layer, e.g. "Layer 2".</param>
    /// <param name="weightImages">Images entering each weight solve (the subset size, at most the dataset size), or null.</param>
    /// <param name="errors">Receives violated conditions.</param>
    /// <param name="warnings">Receives conditions that hold only with equality or only thanks to the borders.</param>
    public void Check(string layerName, int? weightImages, ICollection<string> errors, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        string name = $"{layerName} ({this})";
        long equations = OutputLength;
        long unknowns = InputLength;
        if (equations < unknowns)
        {
            errors.Add(
                $"{name} violates Theorem 3: its latent solve has {equations} equations ({Output} output values, borders included) " +
                $"but {unknowns} unknowns ({Input} latents), so the latents are underdetermined; " +
                $"use at most {MaxDeterminedInputChannels()} input channels, more output channels, a larger u or full padding.");
        }
        else if (equations == unknowns)
        {
            warnings.Add(
                $"{name}: its latent solve is square ({equations} equations, {unknowns} unknowns): it reproduces any target exactly and leaves zero residuals (Lemma 5).");
        }
        else if (InputChannels > ConvChannels)
        {
            warnings.Add(
                $"{name}: c_in = {InputChannels} > c_out u^2 = {ConvChannels}, so Theorem 3's per-pixel condition fails; the latent solve " +
                $"({equations} equations, {unknowns} unknowns) is determined only thanks to the {KernelSize - 1} border rows and columns of the full convolution.");
        }

        if (weightImages is int images)
        {
            long kernelEquations = (long)Math.Max(images, 0) * Positions;
            if (kernelEquations < KernelUnknowns)
            {
                errors.Add(
                    $"{name} violates Theorem 4: each kernel's weight solve has {kernelEquations} equations ({images} images x {Positions} positions) " +
                    $"but {KernelUnknowns} unknowns ({InputChannels} x {KernelSize} x {KernelSize} taps plus the bias); " +
                    $"it needs at least {(KernelUnknowns + Positions - 1) / Positions} images per weight solve.");
            }
            else if (kernelEquations == KernelUnknowns)
            {
                warnings.Add(
                    $"{name}: each kernel's weight solve is square ({kernelEquations} equations and unknowns): it fits the subset exactly and leaves zero residuals.");
            }
        }
    }

    /// <summary>Throws when <see cref="Check"/> finds errors.</summary>
    /// <param name="layerName">How messages name the layer.</param>
    /// <param name="weightImages">Images per weight solve, or null.</param>
    /// <exception cref="ArgumentException">Theorem 3 or Theorem 4 is violated; the message names the layer and the numbers.</exception>
    public void ThrowIfUndetermined(string layerName, int? weightImages = null)
    {
        var errors = new List<string>();
        Check(layerName, weightImages, errors, new List<string>());
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors));
        }
    }

    /// <summary>The layer in one line, e.g. <c>conv-unpool 2x8x8 -> 1x28x28 (7x7 full, u=2, 4 kernels)</c>.</summary>
    public override string ToString() =>
        $"conv-unpool {Input} -> {Output} ({Describe(KernelSize, Padding, Unpool)}, {ConvChannels.ToString(CultureInfo.InvariantCulture)} kernels)";

    /// <summary>The flat CHW index of output pixel (c, y, x) for conv channel <paramref name="o"/> at position (p, q).</summary>
    /// <param name="o">Conv channel, 0 to c_out u^2 - 1.</param>
    /// <param name="p">Row of the convolution's output.</param>
    /// <param name="q">Column of the convolution's output.</param>
    internal int OutputIndex(int o, int p, int q)
    {
        int uu = Unpool * Unpool;
        int c = o / uu;
        int r = o - (c * uu);
        int i = r / Unpool;
        int j = r - (i * Unpool);
        return Output.IndexOf(c, (Unpool * p) + i, (Unpool * q) + j);
    }

    /// <summary>The flat CHW output index of conv channel <paramref name="o"/> at position <paramref name="position"/> = p w' + q.</summary>
    /// <param name="o">Conv channel.</param>
    /// <param name="position">Position index, p w' + q.</param>
    internal int OutputIndex(int o, int position) => OutputIndex(o, position / ConvWidth, position % ConvWidth);

    private int MaxDeterminedInputChannels() => (int)Math.Min(int.MaxValue, (long)OutputLength / ((long)Input.Height * Input.Width));

    private static string Describe(int k, ConvolutionPadding padding, int u) =>
        string.Create(CultureInfo.InvariantCulture, $"{k}x{k} {padding.ToString().ToLowerInvariant()}, u={u}");

    private static string Describe(ImageShape input, int k, ConvolutionPadding padding, int cout, int u) =>
        string.Create(CultureInfo.InvariantCulture, $"{input}, {Describe(k, padding, u)}, c_out={cout}");

    private static void Require(int value, string parameter, string what)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"The {what} must be at least 1.");
        }
    }
}
