using System.Numerics;
using StarNet.Data;
using StarNet.LinearAlgebra;

namespace StarNet.Benchmarks.Model;

/// <summary>The real MNIST files for the model benchmarks: <c>$STARNET_DATA/mnist</c>, else <c>../shared/data/mnist</c> beside the repository.</summary>
internal static class BenchmarkData
{
    public const int TrainCount = 60000;
    public const int TestCount = 10000;

    public static string MnistFolder
    {
        get
        {
            string? root = Environment.GetEnvironmentVariable("STARNET_DATA");
            if (root is not null)
            {
                return Path.Combine(root, "mnist");
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "StarNet.Core.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "mnist"));
                }
            }

            throw new DirectoryNotFoundException("MNIST not found: set STARNET_DATA to the folder that holds mnist/.");
        }
    }

    /// <summary>The training and test images as matrices of <typeparamref name="T"/> in [0, 1].</summary>
    public static (Matrix<T> Train, Matrix<T> Test) Mnist<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset d = DatasetLoader.Load(MnistFolder);
        return (ToMatrix<T>(d.Train), ToMatrix<T>(d.Test!));
    }

    public static Matrix<T> ToMatrix<T>(DatasetSplit split)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(split.Count, split.Dimension);
        Span<T> s = m.Span;
        float[] p = split.Pixels;
        for (int i = 0; i < p.Length; i++)
        {
            s[i] = T.CreateTruncating(p[i]);
        }

        return m;
    }
}
