using StarNet.LinearAlgebra.Factorizations;
using StarNet.LinearAlgebra.Kernels;
using Xunit;

namespace StarNet.LinearAlgebra.Tests.Lapack;

/// <summary>
/// The default QR blocking on 256-bit vectors: a matrix of at most <see cref="QrBlocking.UnblockedMaxCols"/> columns
/// is factored unblocked exactly while it fits in this machine's second-level cache, in both precisions.
/// </summary>
public class QrBlockingTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(200)]
    [InlineData(128)]
    [InlineData(100)]
    [InlineData(1)]
    public void Vector256_factors_unblocked_while_the_matrix_fits_in_L2(int n)
    {
        Check<float>(n);
        Check<double>(n);
    }

    [Fact]
    public void Vector256_blocks_wider_matrices_even_when_they_fit()
    {
        using (LinearAlgebraSettings.Override(InstructionSet.Vector256, null, null, ignoreHardware: true))
        {
            Assert.False(QrBlocking.For<float>(8, QrBlocking.UnblockedMaxCols + 1).Unblocked);
            Assert.False(QrBlocking.For<double>(8, QrBlocking.UnblockedMaxCols + 1).Unblocked);
        }
    }

    private static void Check<T>(int n)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        // The most rows that fit in the L2, and one more.
        long l2 = CacheSizes.L2Bytes;
        int fits = (int)(l2 / ((long)n * size));
        int reaches = fits + 1;
        using (LinearAlgebraSettings.Override(InstructionSet.Vector256, null, null, ignoreHardware: true))
        {
            QrBlocking below = QrBlocking.For<T>(fits, n), at = QrBlocking.For<T>(reaches, n);
            Assert.True(below.Unblocked, $"{typeof(T).Name} {fits} x {n} ({(long)fits * n * size} bytes) should be unblocked in the {l2}-byte L2.");
            Assert.False(at.Unblocked, $"{typeof(T).Name} {reaches} x {n} ({(long)reaches * n * size} bytes) should be blocked beyond the {l2}-byte L2.");
            Assert.Equal((64, 32 / size * 4), (at.PanelWidth, at.LeafWidth));
        }
    }
}
