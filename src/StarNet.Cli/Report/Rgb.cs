namespace StarNet.Cli.Report;

/// <summary>An 8-bit-per-channel colour.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black.</summary>
    public static readonly Rgb Black = new(0, 0, 0);

    /// <summary>White.</summary>
    public static readonly Rgb White = new(255, 255, 255);

    /// <summary>Light grey for grid lines.</summary>
    public static readonly Rgb LightGray = new(225, 225, 225);

    /// <summary>Dark grey for secondary text.</summary>
    public static readonly Rgb DarkGray = new(90, 90, 90);

    /// <summary>Ten colours that stay apart from each other (the "tab10" palette), for data series.</summary>
    public static readonly IReadOnlyList<Rgb> Palette =
    [
        FromHex(0x1F77B4), FromHex(0xFF7F0E), FromHex(0x2CA02C), FromHex(0xD62728), FromHex(0x9467BD),
        FromHex(0x8C564B), FromHex(0xE377C2), FromHex(0x7F7F7F), FromHex(0xBCBD22), FromHex(0x17BECF),
    ];

    /// <summary>The grey level this colour has in a grayscale image (ITU-R BT.601 weights).</summary>
    public byte Luma => (byte)(((299 * R) + (587 * G) + (114 * B) + 500) / 1000);

    /// <summary>A colour from <c>0xRRGGBB</c>.</summary>
    /// <param name="rgb">The colour as a 24-bit number.</param>
    /// <returns>The colour.</returns>
    public static Rgb FromHex(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    /// <summary>A grey of the given level.</summary>
    /// <param name="level">0 black to 255 white.</param>
    /// <returns>The colour.</returns>
    public static Rgb Gray(byte level) => new(level, level, level);
}
