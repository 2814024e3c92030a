using StarNet.Core.Tests.Data.Support;
using StarNet.Data;
using static StarNet.Core.Tests.Data.Support.MatV5Writer;

namespace StarNet.Cli.Tests.Support;

/// <summary>
/// Small datasets written by the tests in every format the tool reads: images with some structure (smooth blobs plus
/// noise, so that a decoder has something to learn), in IDX (gzip), CIFAR-10 binary, SVHN MATLAB v5 and numpy layouts.
/// </summary>
internal static class SmallDatasets
{
    /// <summary>The formats, as names for theories.</summary>
    public static TheoryData<string> Formats => new("idx", "cifar10", "svhn", "npy");

    /// <summary>Writes a dataset of <paramref name="format"/> into a new folder under <paramref name="root"/> and returns the path to give <c>--data</c>.</summary>
    /// <param name="root">Where to create it.</param>
    /// <param name="format">idx (1x12x12), cifar10 (3x32x32), svhn (3x32x32) or npy (1x10x10, train only).</param>
    /// <param name="train">Training images.</param>
    /// <param name="test">Test images (0 for none).</param>
    /// <returns>The path.</returns>
    public static string Write(string root, string format, int train = 80, int test = 20)
    {
        string folder = Path.Combine(root, format);
        Directory.CreateDirectory(folder);
        switch (format)
        {
            case "idx":
                WriteIdx(folder, "train", Images(train, 1, 12, 12, seed: 1));
                if (test > 0)
                {
                    WriteIdx(folder, "t10k", Images(test, 1, 12, 12, seed: 2));
                }

                return folder;
            case "cifar10":
                TestFiles.Write(Path.Combine(folder, "data_batch_1.bin.gz"), TestFiles.CifarRecords(Labels(train), Images(train, 3, 32, 32, seed: 3)), gzip: true);
                if (test > 0)
                {
                    TestFiles.Write(Path.Combine(folder, "test_batch.bin"), TestFiles.CifarRecords(Labels(test), Images(test, 3, 32, 32, seed: 4)), gzip: false);
                }

                File.WriteAllLines(Path.Combine(folder, "batches.meta.txt"), ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);
                return folder;
            case "svhn":
                WriteSvhn(Path.Combine(folder, "train_32x32.mat"), train, seed: 5);
                if (test > 0)
                {
                    WriteSvhn(Path.Combine(folder, "test_32x32.mat"), test, seed: 6);
                }

                return folder;
            case "npy":
                string path = Path.Combine(folder, "images.npy");
                NpyFile.Write<byte>(path, Images(train, 1, 10, 10, seed: 7), [train, 10, 10]);
                return path;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format");
        }
    }

    /// <summary>N images in CHW order: a few Gaussian blobs at random places plus a little noise, as bytes.</summary>
    public static byte[] Images(int count, int channels, int height, int width, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[count * channels * height * width];
        for (int n = 0; n < count; n++)
        {
            (double Y, double X, double R, double[] Level)[] blobs = [.. Enumerable.Range(0, 3).Select(_ =>
                (random.NextDouble() * height, random.NextDouble() * width, 1.5 + (random.NextDouble() * height / 4),
                 Enumerable.Range(0, channels).Select(_ => 0.3 + (0.7 * random.NextDouble())).ToArray()))];
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double v = (0.05 * random.NextDouble()) + blobs.Sum(b => b.Level[c] * Math.Exp(-(((y - b.Y) * (y - b.Y)) + ((x - b.X) * (x - b.X))) / (2 * b.R * b.R)));
                        bytes[(((n * channels) + c) * height * width) + (y * width) + x] = (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
                    }
                }
            }
        }

        return bytes;
    }

    private static byte[] Labels(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))];

    private static void WriteIdx(string folder, string split, byte[] images)
    {
        int count = images.Length / 144;
        TestFiles.Write(Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), TestFiles.Idx(images, count, 12, 12), gzip: true);
        TestFiles.Write(Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), TestFiles.Idx(Labels(count), count), gzip: true);
    }

    /// <summary>SVHN's layout: X is [32, 32, 3, N] column-major (uint8), y is [N, 1] with 10 for the digit 0.</summary>
    private static void WriteSvhn(string path, int count, int seed)
    {
        byte[] chw = Images(count, 3, 32, 32, seed);
        var x = new byte[chw.Length];
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int h = 0; h < 32; h++)
                {
                    for (int w = 0; w < 32; w++)
                    {
                        x[(n * 3072) + h + (32 * (w + (32 * c)))] = chw[(n * 3072) + (c * 1024) + (h * 32) + w];
                    }
                }
            }
        }

        byte[] y = [.. Enumerable.Range(0, count).Select(i => (byte)((i % 10) + 1))];
        File.WriteAllBytes(path, Build(true, new MatVar("X", ClassUInt8, [32, 32, 3, count], MiUInt8, x), new MatVar("y", ClassUInt8, [count, 1], MiUInt8, y)));
    }
}
