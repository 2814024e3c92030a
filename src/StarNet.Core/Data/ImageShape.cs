namespace StarNet.Data;

/// <summary>
/// The shape of one image: channels, height and width. An image is flattened channel-major
/// (CHW): all of channel 0 row by row, then channel 1, and so on.
/// </summary>
/// <param name="Channels">Number of colour channels (1 for grey, 3 for RGB).</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Width">Number of columns.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>The number of values in one flattened image: <c>Channels * Height * Width</c>.</summary>
    public int Size => checked(Channels * Height * Width);

    /// <summary>The index of pixel (<paramref name="channel"/>, <paramref name="row"/>, <paramref name="column"/>) in a flattened image.</summary>
    /// <param name="channel">Channel index.</param>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column index.</param>
    /// <returns>The offset in CHW order.</returns>
    public int IndexOf(int channel, int row, int column) => (channel * Height + row) * Width + column;

    /// <summary>Formats the shape as <c>CxHxW</c>.</summary>
    /// <returns>A string such as <c>3x32x32</c>.</returns>
    public override string ToString() => $"{Channels}x{Height}x{Width}";

    /// <summary>Throws when a dimension is not positive.</summary>
    internal void Validate()
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0)
        {
            throw new ArgumentException($"Image shape {this} has a dimension that is not positive.");
        }
    }
}
