using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// Out-of-place transpose of a strided block, dst := src^T, in square tiles of one 256-bit vector's width
/// (8 x 8 floats, 4 x 4 doubles) transposed in registers with AVX unpack/shuffle/permute; the ragged edges, and
/// everything when AVX is off (or the active instruction set is <see cref="InstructionSet.Scalar"/>), go element
/// by element in 8 x 8 tiles. Used by the right-side TRSM to put right-hand sides along the vector lanes.
/// </summary>
internal static unsafe class BlockTranspose
{
    /// <summary>dst (cols x rows, row stride ldd) := src^T, src being rows x cols with row stride lds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose<T>(T* src, nint lds, T* dst, nint ldd, int rows, int cols)
        where T : unmanaged
    {
        int r = 0, c = 0;
        if (Avx.IsSupported && LinearAlgebraSettings.ActiveInstructionSet >= InstructionSet.Vector256)
        {
            if (typeof(T) == typeof(float))
            {
                (r, c) = Tiles8((float*)src, lds, (float*)dst, ldd, rows, cols);
            }
            else if (typeof(T) == typeof(double))
            {
                (r, c) = Tiles4((double*)src, lds, (double*)dst, ldd, rows, cols);
            }
        }

        // The rows below the tiles (all columns), then the columns right of the tiles (tiled rows only).
        Scalar(src + (r * lds), lds, dst + r, ldd, rows - r, cols);
        Scalar(src + c, lds, dst + (c * ldd), ldd, r, cols - c);
    }

    /// <summary>The full 8 x 8 float tiles; returns how many rows and columns they covered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Rows, int Cols) Tiles8(float* src, nint lds, float* dst, nint ldd, int rows, int cols)
    {
        int rt = rows & ~7, ct = cols & ~7;
        for (int i = 0; i < rt; i += 8)
        {
            for (int j = 0; j < ct; j += 8)
            {
                float* s = src + (i * lds) + j;
                Vector256<float> t0 = Avx.UnpackLow(Avx.LoadVector256(s), Avx.LoadVector256(s + lds));
                Vector256<float> t1 = Avx.UnpackHigh(Avx.LoadVector256(s), Avx.LoadVector256(s + lds));
                Vector256<float> t2 = Avx.UnpackLow(Avx.LoadVector256(s + (2 * lds)), Avx.LoadVector256(s + (3 * lds)));
                Vector256<float> t3 = Avx.UnpackHigh(Avx.LoadVector256(s + (2 * lds)), Avx.LoadVector256(s + (3 * lds)));
                Vector256<float> t4 = Avx.UnpackLow(Avx.LoadVector256(s + (4 * lds)), Avx.LoadVector256(s + (5 * lds)));
                Vector256<float> t5 = Avx.UnpackHigh(Avx.LoadVector256(s + (4 * lds)), Avx.LoadVector256(s + (5 * lds)));
                Vector256<float> t6 = Avx.UnpackLow(Avx.LoadVector256(s + (6 * lds)), Avx.LoadVector256(s + (7 * lds)));
                Vector256<float> t7 = Avx.UnpackHigh(Avx.LoadVector256(s + (6 * lds)), Avx.LoadVector256(s + (7 * lds)));
                Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
                Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
                Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
                Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* d = dst + (j * ldd) + i;
                Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
                Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(d + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
                Avx.Store(d + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(d + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
                Avx.Store(d + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(d + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
                Avx.Store(d + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
            }
        }

        return (rt, ct);
    }

    /// <summary>The full 4 x 4 double tiles; returns how many rows and columns they covered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Rows, int Cols) Tiles4(double* src, nint lds, double* dst, nint ldd, int rows, int cols)
    {
        int rt = rows & ~3, ct = cols & ~3;
        for (int i = 0; i < rt; i += 4)
        {
            for (int j = 0; j < ct; j += 4)
            {
                double* s = src + (i * lds) + j;
                Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
                Vector256<double> r2 = Avx.LoadVector256(s + (2 * lds)), r3 = Avx.LoadVector256(s + (3 * lds));
                Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
                Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
                double* d = dst + (j * ldd) + i;
                Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
                Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
                Avx.Store(d + (2 * ldd), Avx.Permute2x128(t0, t2, 0x31));
                Avx.Store(d + (3 * ldd), Avx.Permute2x128(t1, t3, 0x31));
            }
        }

        return (rt, ct);
    }

    /// <summary>Element by element in 8 x 8 tiles, so that both sides stay within a few cache lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(T* src, nint lds, T* dst, nint ldd, int rows, int cols)
        where T : unmanaged
    {
        const int Tile = 8;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, rows);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, cols);
                for (int i = i0; i < i1; i++)
                {
                    T* s = src + (i * lds);
                    for (int j = j0; j < j1; j++)
                    {
                        dst[(j * ldd) + i] = s[j];
                    }
                }
            }
        }
    }
}
