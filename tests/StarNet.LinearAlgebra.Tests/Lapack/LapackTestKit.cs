using System.Numerics;
using StarNet.LinearAlgebra.Factorizations;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>Conversions and scopes shared by the factorization tests.</summary>
public static class LapackTestKit
{
    /// <summary>LAPACK's pass threshold for its test ratios (TESTING/dtest.in).</summary>
    public const double Threshold = 30;

    /// <summary>
    /// Runs under a kernel configuration plus (optionally) tiny QR panel and leaf widths (panel above 0), or the
    /// unblocked QR forced whatever the size (panel below 0; leaf is then ignored).
    /// </summary>
    public static IDisposable Apply(KernelConfig config, int panel, int leaf)
    {
        IDisposable kernel = config.Apply();
        IDisposable? qr = panel > 0 ? QrBlocking.Override(panel, leaf)
            : panel < 0 ? QrBlocking.Override(16, 1, unblocked: true)
            : null;
        return new Both(kernel, qr);
    }

    /// <summary>Copies a double matrix (rounded to T) into a padded view with guard cells around it.</summary>
    public static PaddedMatrix<T> Padded<T>(double[,] a, int pad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var p = new PaddedMatrix<T>(m, n, pad, pad > 0 ? 1 : 0);
        MatrixSpan<T> v = p.View;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                v[i, j] = T.CreateTruncating(a[i, j]);
            }
        }

        return p;
    }

    public static double[,] ToDouble<T>(ReadOnlyMatrixSpan<T> m)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new double[m.Rows, m.Cols];
        for (int i = 0; i < m.Rows; i++)
        {
            for (int j = 0; j < m.Cols; j++)
            {
                r[i, j] = double.CreateTruncating(m[i, j]);
            }
        }

        return r;
    }

    /// <summary>The double matrix after rounding every entry to T (the data the engine actually sees).</summary>
    public static double[,] Rounded<T>(double[,] a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < r.GetLength(0); i++)
        {
            for (int j = 0; j < r.GetLength(1); j++)
            {
                r[i, j] = double.CreateTruncating(T.CreateTruncating(a[i, j]));
            }
        }

        return r;
    }

    public static double Eps<T>() => Tolerance.Eps<T>();

    private sealed class Both(IDisposable first, IDisposable? second) : IDisposable
    {
        public void Dispose()
        {
            second?.Dispose();
            first.Dispose();
        }
    }
}
