namespace StarNet.Cli.Report;

/// <summary>
/// An 8-bit image in memory, grayscale (1 channel) or RGB (3 channels), rows top to bottom, with the few
/// drawing operations the report needs: rectangles, clipped lines and (through <see cref="BitmapFont"/>) text.
/// Drawing in a colour on a grayscale image uses the colour's <see cref="Rgb.Luma"/>.
/// </summary>
public sealed class RasterImage
{
    /// <summary>Creates an image filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels (at least 1).</param>
    /// <param name="height">Height in pixels (at least 1).</param>
    /// <param name="channels">1 for grayscale, 3 for RGB.</param>
    /// <param name="background">The initial colour of every pixel.</param>
    public RasterImage(int width, int height, int channels, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Use 1 (grayscale) or 3 (RGB) channels.");
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = new byte[checked(width * height * channels)];
        FillRectangle(Bounds, background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>1 for grayscale, 3 for RGB.</summary>
    public int Channels { get; }

    /// <summary>The samples, row by row, <see cref="Channels"/> bytes per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>The whole image as a rectangle.</summary>
    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>The samples of one pixel (1 or 3 bytes).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>A view of the pixel's bytes.</returns>
    public Span<byte> Pixel(int x, int y)
    {
        if (!Bounds.Contains(x, y))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} image.");
        }

        return Pixels.AsSpan(((y * Width) + x) * Channels, Channels);
    }

    /// <summary>Sets a pixel; pixels outside the image are ignored.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The colour.</param>
    public void SetPixel(int x, int y, Rgb color)
    {
        if (Bounds.Contains(x, y))
        {
            Put(((y * Width) + x) * Channels, color);
        }
    }

    /// <summary>Fills a rectangle (clipped to the image).</summary>
    /// <param name="rect">The rectangle.</param>
    /// <param name="color">The colour.</param>
    public void FillRectangle(PixelRect rect, Rgb color)
    {
        PixelRect r = rect.Intersect(Bounds);
        for (int y = r.Y; y < r.Bottom; y++)
        {
            for (int x = r.X; x < r.Right; x++)
            {
                Put(((y * Width) + x) * Channels, color);
            }
        }
    }

    /// <summary>Draws the one-pixel outline of a rectangle.</summary>
    /// <param name="rect">The rectangle.</param>
    /// <param name="color">The colour.</param>
    public void DrawRectangle(PixelRect rect, Rgb color)
    {
        FillRectangle(rect with { Height = 1 }, color);
        FillRectangle(rect with { Y = rect.Bottom - 1, Height = 1 }, color);
        FillRectangle(rect with { Width = 1 }, color);
        FillRectangle(rect with { X = rect.Right - 1, Width = 1 }, color);
    }

    /// <summary>
    /// Draws a straight line between two points given in pixel coordinates (which may lie far outside),
    /// clipped to <paramref name="clip"/>.
    /// </summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="color">The colour.</param>
    /// <param name="thickness">Line width in pixels (1 or more).</param>
    /// <param name="clip">Only pixels inside this rectangle are drawn.</param>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color, int thickness, PixelRect clip)
    {
        if (!ClipSegment(ref x0, ref y0, ref x1, ref y1, clip))
        {
            return;
        }

        int ax = (int)Math.Round(x0), ay = (int)Math.Round(y0), bx = (int)Math.Round(x1), by = (int)Math.Round(y1);
        int dx = Math.Abs(bx - ax), sx = ax < bx ? 1 : -1;
        int dy = -Math.Abs(by - ay), sy = ay < by ? 1 : -1;
        int error = dx + dy;
        int low = -(thickness - 1) / 2;
        while (true)
        {
            for (int i = 0; i < thickness; i++)
            {
                for (int j = 0; j < thickness; j++)
                {
                    if (clip.Contains(ax + low + i, ay + low + j))
                    {
                        SetPixel(ax + low + i, ay + low + j, color);
                    }
                }
            }

            if (ax == bx && ay == by)
            {
                return;
            }

            int twice = 2 * error;
            if (twice >= dy)
            {
                error += dy;
                ax += sx;
            }

            if (twice <= dx)
            {
                error += dx;
                ay += sy;
            }
        }
    }

    private void Put(int offset, Rgb color)
    {
        if (Channels == 1)
        {
            Pixels[offset] = color.Luma;
        }
        else
        {
            Pixels[offset] = color.R;
            Pixels[offset + 1] = color.G;
            Pixels[offset + 2] = color.B;
        }
    }

    /// <summary>Liang–Barsky: trims the segment to the rectangle; false if nothing of it is inside.</summary>
    private static bool ClipSegment(ref double x0, ref double y0, ref double x1, ref double y1, PixelRect clip)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1))
        {
            return false;
        }

        double dx = x1 - x0, dy = y1 - y0;
        double t0 = 0, t1 = 1;
        ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> q = [x0 - clip.X, clip.Right - 1 - x0, y0 - clip.Y, clip.Bottom - 1 - y0];
        for (int i = 0; i < 4; i++)
        {
            if (p[i] == 0)
            {
                if (q[i] < 0)
                {
                    return false;
                }

                continue;
            }

            double t = q[i] / p[i];
            if (p[i] < 0)
            {
                t0 = Math.Max(t0, t);
            }
            else
            {
                t1 = Math.Min(t1, t);
            }

            if (t0 > t1)
            {
                return false;
            }
        }

        (double sx, double sy) = (x0, y0);
        x0 = sx + (t0 * dx);
        y0 = sy + (t0 * dy);
        x1 = sx + (t1 * dx);
        y1 = sy + (t1 * dy);
        return true;
    }
}
