using System.Numerics;
using System.Runtime.CompilerServices;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The rank-1 step and the store of a register tile of four rows x two vectors (the streamed narrow panel products; the TRSM
/// kernel's 4 x 2-vector tile has the same step): x(q, :) += s_q (b0, b1), written once over <see cref="IVectorLanes{T, TV}"/>.
/// </summary>
internal static class OuterProductTile
{
    /// <summary>
    /// Adds the outer product of the column (s0, s1, s2, s3) and the row (b0, b1) to a register tile of four rows x
    /// two vectors, one fused multiply-add per vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddOuter<T, TW, TV>(T s0, T s1, T s2, T s3, TV b0, TV b1, ref TV x00, ref TV x01, ref TV x10, ref TV x11, ref TV x20, ref TV x21, ref TV x30, ref TV x31)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct =>
        AddOuter<T, TW, TV>(TW.Create(s0), TW.Create(s1), TW.Create(s2), TW.Create(s3), b0, b1, ref x00, ref x01, ref x10, ref x11, ref x20, ref x21, ref x30, ref x31);

    /// <summary>
    /// <see cref="AddOuter{T, TW, TV}(T, T, T, T, TV, TV, ref TV, ref TV, ref TV, ref TV, ref TV, ref TV, ref TV, ref TV)"/>
    /// with the column already broadcast (y_q all lanes s_q), so that wider tiles broadcast it once for several pairs of vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddOuter<T, TW, TV>(TV y0, TV y1, TV y2, TV y3, TV b0, TV b1, ref TV x00, ref TV x01, ref TV x10, ref TV x11, ref TV x20, ref TV x21, ref TV x30, ref TV x31)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        x00 = TW.Fma(y0, b0, x00);
        x01 = TW.Fma(y0, b1, x01);
        x10 = TW.Fma(y1, b0, x10);
        x11 = TW.Fma(y1, b1, x11);
        x20 = TW.Fma(y2, b0, x20);
        x21 = TW.Fma(y2, b1, x21);
        x30 = TW.Fma(y3, b0, x30);
        x31 = TW.Fma(y3, b1, x31);
    }

    /// <summary>
    /// Subtracts the outer product of the broadcast column (y0, y1, y2, y3) and the row (b0, b1) from a register tile of
    /// four rows x two vectors: x(q, :) -= y_q (b0, b1), one fused negated multiply-add per vector (the same bits as
    /// adding the outer product of the negated column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractOuter<T, TW, TV>(TV y0, TV y1, TV y2, TV y3, TV b0, TV b1, ref TV x00, ref TV x01, ref TV x10, ref TV x11, ref TV x20, ref TV x21, ref TV x30, ref TV x31)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        x00 = TW.Fnma(y0, b0, x00);
        x01 = TW.Fnma(y0, b1, x01);
        x10 = TW.Fnma(y1, b0, x10);
        x11 = TW.Fnma(y1, b1, x11);
        x20 = TW.Fnma(y2, b0, x20);
        x21 = TW.Fnma(y2, b1, x21);
        x30 = TW.Fnma(y3, b0, x30);
        x31 = TW.Fnma(y3, b1, x31);
    }

    /// <summary>Stores a register tile of four rows x two vectors (row q at pq, its second vector one vector further).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T, TW, TV>(TV x00, TV x01, TV x10, TV x11, TV x20, TV x21, TV x30, TV x31, T* p0, T* p1, T* p2, T* p3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TW : struct, IVectorLanes<T, TV>
        where TV : struct
    {
        int width = TW.Count;
        TW.Store(x00, p0);
        TW.Store(x01, p0 + width);
        TW.Store(x10, p1);
        TW.Store(x11, p1 + width);
        TW.Store(x20, p2);
        TW.Store(x21, p2 + width);
        TW.Store(x30, p3);
        TW.Store(x31, p3 + width);
    }
}
