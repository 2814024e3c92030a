using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using StarNet.LinearAlgebra.Factorizations;

namespace StarNet.LinearAlgebra.Kernels;

/// <summary>
/// The Cholesky leaf (dpotf2) for orders up to 512, on a padded copy in scratch: the triangle is copied as an upper
/// factor U (the lower one transposed, L = U^T), so that rows of U are contiguous and run along the vector lanes, and
/// factored left-looking four rows at a time, each block of four rows finished in registers:
/// <code>
///   rows i0..i0+3, strip by strip (two strips per pass: 8 accumulators, one load of U[k] per 4 FMAs):
///     C[r] := -S[i0+r, strip] + sum_{k &lt; i0} U[k, i0+r] U[k, strip]        (negated, so every update is one FMA)
///   the strip holding the diagonal block first, stored; its 4 x 4 block in scalars as L D L^T:
///     d_r = -C[r][i0+r] after the block's earlier rows,  p_qr = C[q][i0+r] / d_q,  m_r = -1/sqrt(d_r)
///   then every strip:  C[r] += sum_{q &lt; r} p_qr C[q],  row_r := C[r] m_r  (one store), and U[i, i] := sqrt(d_i)
/// </code>
/// From one pivot to the next the chain is a division and two FMAs; the square roots only scale the stored rows
/// (dpotf2 also scales by 1 / u). The scalar block uses the same operations as the vector lanes. The first pivot that
/// is not positive (or not finite) stops the factorization with its index and value; the rows before it hold their
/// factor. Only the padding (columns up to a multiple of the vector width and of four, rows up to a multiple of four)
/// is zeroed: the lanes left of a row's diagonal hold values that feed only such lanes (and padding only padding), so
/// they are never read as results. The row stride gets one extra 64-byte line when it would be a multiple of 256 bytes
/// (column strips over many rows would otherwise fall into a few L1 sets). The copy back writes only the <c>uplo</c>
/// triangle.
/// </summary>
internal static unsafe class CholeskyLeafKernel
{
    /// <summary>Thread scratch slot of the padded copy (slot 0 is used by no other kernel).</summary>
    private const int ScratchSlot = 0;

    /// <summary>Factors the n x n leaf in place; returns -1 or the index of the first pivot that was not positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Factor<T>(MatrixSpan<T> a, Triangle uplo, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        InstructionSet isa = LinearAlgebraSettings.ActiveInstructionSet;
        return isa >= InstructionSet.Vector512 ? Factor<T, Vector512<T>, Lanes512<T>>(a, uplo, out pivotValue)
            : isa >= InstructionSet.Vector256 ? Factor<T, Vector256<T>, Lanes256<T>>(a, uplo, out pivotValue)
            : Factor<T, T, LanesScalar<T>>(a, uplo, out pivotValue);
    }

    /// <summary>Copy in, factor, copy back, for one width: 512-bit, 256-bit, or one element at a time (<see cref="LanesScalar{T}"/>, the portable path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Factor<T, TV, TL>(MatrixSpan<T> a, Triangle uplo, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int n = a.Rows;
        pivotValue = T.Zero;
        if (n == 0)
        {
            return -1;
        }

        int wd = Math.Max(TL.Count, 4);
        int nc = (n + wd - 1) / wd * wd;

        // Row stride: the columns the loops run over (nc), plus one 64-byte line when that is a multiple of 256 bytes,
        // so that a column strip over many rows does not fall into a few L1 sets (n = 128, 256: 4 KiB aliasing).
        int ld = nc * sizeof(T) % 256 == 0 ? nc + (64 / sizeof(T)) : nc;
        int rows = (n + 3) & ~3;
        T* s = ThreadScratch.Get<T>(ScratchSlot, (nint)ld * rows);
        bool lower = uplo == Triangle.Lower;
        fixed (T* a0 = a.Row(0))
        {
            nint lda = a.Stride;
            if (lower)
            {
                CopyLowerIn(a0, lda, n, s, ld);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    new Span<T>(a0 + (i * lda) + i, n - i).CopyTo(new Span<T>(s + (i * ld) + i, n - i));
                }
            }

            ZeroPadding(s, ld, nc, n, rows);
            int info = Run<T, TV, TL>(s, ld, nc, n, out pivotValue);
            if (lower)
            {
                CopyLowerOut(s, ld, a0, lda, n);
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    new Span<T>(s + (i * ld) + i, n - i).CopyTo(new Span<T>(a0 + (i * lda) + i, n - i));
                }
            }

            return info;
        }
    }

    /// <summary>Columns n..nc-1 of the first n rows and columns 0..nc-1 of the rows n..rows-1 of the scratch copy := 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ZeroPadding<T>(T* s, nint ld, int nc, int n, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            for (nint j = i < n ? n : 0; j < nc; j++)
            {
                s[(i * ld) + j] = T.Zero;
            }
        }
    }

    /// <summary>
    /// The lower triangle of A into the upper triangle of the scratch copy (transposed), in bands of eight rows of A by
    /// <see cref="BlockTranspose"/>, each band with its whole diagonal block (the entries above A's diagonal that this
    /// reads land left of the copy's diagonal, in lanes never read as results). When n is not a multiple of eight the
    /// last band is moved up to end at row n, and its last column tile left to end at column n, overlapping what is
    /// already copied, so that every tile is a full 8 x 8 one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyLowerIn<T>(T* a, nint lda, int n, T* s, nint ld)
        where T : unmanaged
    {
        const int Band = 8;
        if (n < Band)
        {
            BlockTranspose.Transpose(a, lda, s, ld, n, n);
            return;
        }

        for (int i0 = 0; i0 < n; i0 += Band)
        {
            int b = Math.Min(i0, n - Band), cols = b + Band, full = cols & ~(Band - 1);
            T* ab = a + (b * lda);
            BlockTranspose.Transpose(ab, lda, s + b, ld, Band, full);
            if (full < cols)
            {
                BlockTranspose.Transpose(ab + (cols - Band), lda, s + ((cols - Band) * ld) + b, ld, Band, Band);
            }
        }
    }

    /// <summary>
    /// The upper triangle of the scratch copy back into the lower triangle of A (transposed): in bands of eight rows of
    /// A, the part left of the band's diagonal block by <see cref="BlockTranspose"/>, the diagonal block's triangle
    /// element by element; the last band and its last tile moved as in <see cref="CopyLowerIn"/> (rewriting entries
    /// of the lower triangle with the same values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyLowerOut<T>(T* s, nint ld, T* a, nint lda, int n)
        where T : unmanaged
    {
        const int Band = 8;
        for (int i0 = 0; i0 < n; i0 += Band)
        {
            int b = n < Band ? 0 : Math.Min(i0, n - Band), rows = Math.Min(Band, n - b);
            int full = b < Band ? b : b & ~(Band - 1);
            T* ab = a + (b * lda);
            BlockTranspose.Transpose(s + b, ld, ab, lda, full, rows);
            if (full < b)
            {
                BlockTranspose.Transpose(s + ((b - Band) * ld) + b, ld, ab + (b - Band), lda, Band, rows);
            }

            for (int i = 0; i < rows; i++)
            {
                T* ai = ab + (i * lda) + b;
                T* si = s + (b * ld) + b + i;
                for (int j = 0; j <= i; j++)
                {
                    ai[j] = si[j * ld];
                }
            }
        }
    }

    /// <summary>The left-looking loops on the scratch copy (rows of U of stride ld, over nc columns; both multiples of max(width, 4)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Run<T, TV, TL>(T* s, nint ld, int nc, int n, out T pivotValue)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count;
        int wd = Math.Max(w, 4);
        int fail = -1;
        pivotValue = T.Zero;
        for (int i0 = 0; i0 < n && fail < 0; i0 += 4)
        {
            T* r0 = s + (i0 * ld), r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
            int jd = i0 / wd * wd;

            // The strip holding the diagonal block (with the next one when there is one, as one pass of two strips),
            // negated and updated, stored so that the block's scalars can be read; then the block is finished in
            // scalars and every strip of the four rows is finished and stored.
            BlockCoefficients<T, TV, TL> k;
            T u0, u1, u2, u3;
            int j2;
            if (w >= 4 && jd + (2 * w) <= nc)
            {
                Accumulate2<T, TV, TL>(s, ld, i0, jd, out TV a0, out TV a1, out TV a2, out TV a3, out TV b0, out TV b1, out TV b2, out TV b3);
                TL.Store(a0, r0 + jd);
                TL.Store(a1, r1 + jd);
                TL.Store(a2, r2 + jd);
                TL.Store(a3, r3 + jd);
                k = DiagonalBlock<T, TV, TL>(r0, ld, i0, n, ref fail, ref pivotValue, out u0, out u1, out u2, out u3);
                k.Finish(a0, a1, a2, a3, r0 + jd, ld);
                k.Finish(b0, b1, b2, b3, r0 + jd + w, ld);
                j2 = jd + (2 * w);
            }
            else
            {
                for (int j = jd; j < jd + wd; j += w)
                {
                    Accumulate<T, TV, TL>(s, ld, i0, j, out TV c0, out TV c1, out TV c2, out TV c3);
                    TL.Store(c0, r0 + j);
                    TL.Store(c1, r1 + j);
                    TL.Store(c2, r2 + j);
                    TL.Store(c3, r3 + j);
                }

                k = DiagonalBlock<T, TV, TL>(r0, ld, i0, n, ref fail, ref pivotValue, out u0, out u1, out u2, out u3);
                for (int j = jd; j < jd + wd; j += w)
                {
                    k.Finish(TL.Load(r0 + j), TL.Load(r1 + j), TL.Load(r2 + j), TL.Load(r3 + j), r0 + j, ld);
                }

                j2 = jd + wd;
            }

            for (; j2 + (2 * w) <= nc; j2 += 2 * w)
            {
                Accumulate2<T, TV, TL>(s, ld, i0, j2, out TV a0, out TV a1, out TV a2, out TV a3, out TV b0, out TV b1, out TV b2, out TV b3);
                k.Finish(a0, a1, a2, a3, r0 + j2, ld);
                k.Finish(b0, b1, b2, b3, r0 + j2 + w, ld);
            }

            if (j2 < nc)
            {
                Accumulate<T, TV, TL>(s, ld, i0, j2, out TV c0, out TV c1, out TV c2, out TV c3);
                k.Finish(c0, c1, c2, c3, r0 + j2, ld);
            }

            r0[i0] = u0;
            r1[i0 + 1] = u1;
            r2[i0 + 2] = u2;
            r3[i0 + 3] = u3;
        }

        return fail;
    }

    /// <summary>
    /// The 4 x 4 diagonal block of rows i0..i0+3 (r0 points to row i0, the negated updated entries e stored) in scalars,
    /// as L D L^T: pivot d_r = -e_rr, the multipliers p_qr = e_qr / d_q eliminate row q from the later rows, so the
    /// chain from one pivot to the next is a division and two FMAs; the square roots (u) and m_r = -1/sqrt(d_r) only
    /// scale the stored rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static BlockCoefficients<T, TV, TL> DiagonalBlock<T, TV, TL>(T* r0, nint ld, int i0, int n, ref int fail, ref T pivotValue, out T u0, out T u1, out T u2, out T u3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        T* r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
        T e00 = r0[i0], e01 = r0[i0 + 1], e02 = r0[i0 + 2], e03 = r0[i0 + 3];
        T e11 = r1[i0 + 1], e12 = r1[i0 + 2], e13 = r1[i0 + 3];
        T e22 = r2[i0 + 2], e23 = r2[i0 + 3], e33 = r3[i0 + 3];
        T q0 = Pivot(e00, i0, n, ref fail, ref pivotValue, out T m0, out u0);
        T p01 = e01 * q0, p02 = e02 * q0, p03 = e03 * q0;
        e11 = TL.FmaScalar(p01, e01, e11);
        e12 = TL.FmaScalar(p01, e02, e12);
        e13 = TL.FmaScalar(p01, e03, e13);
        e22 = TL.FmaScalar(p02, e02, e22);
        e23 = TL.FmaScalar(p02, e03, e23);
        e33 = TL.FmaScalar(p03, e03, e33);
        T q1 = Pivot(e11, i0 + 1, n, ref fail, ref pivotValue, out T m1, out u1);
        T p12 = e12 * q1, p13 = e13 * q1;
        e22 = TL.FmaScalar(p12, e12, e22);
        e23 = TL.FmaScalar(p12, e13, e23);
        e33 = TL.FmaScalar(p13, e13, e33);
        T q2 = Pivot(e22, i0 + 2, n, ref fail, ref pivotValue, out T m2, out u2);
        T p23 = e23 * q2;
        e33 = TL.FmaScalar(p23, e23, e33);
        Pivot(e33, i0 + 3, n, ref fail, ref pivotValue, out T m3, out u3);
        return new BlockCoefficients<T, TV, TL>(m0, m1, m2, m3, p01, p02, p03, p12, p13, p23);
    }

    /// <summary>
    /// A pivot from its negated updated value e (d = -e): returns 1/d, with m = -1/sqrt(d) and u = sqrt(d). Rows of
    /// padding and rows at or after a failed pivot pass through (1/d := 0, m = -1, u = d), so the first failure keeps
    /// its index and value and the rows before it their factor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Pivot<T>(T e, int i, int n, ref int fail, ref T failValue, out T m, out T u)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T d = -e;
        m = -T.One;
        u = d;
        if (i >= n || fail >= 0)
        {
            return T.Zero;
        }

        if (!(d > T.Zero) || !T.IsFinite(d))
        {
            fail = i;
            failValue = d;
            return T.Zero;
        }

        u = T.Sqrt(d);
        m = -T.One / u;
        return T.One / d;
    }

    /// <summary>
    /// Four rows of one strip: -S[i0+r, j..j+w) + sum_{k &lt; i0} U[k, i0+r] U[k, j..j+w), the even and the odd k in two
    /// sets of accumulators (i0 is even) added at the end, so that eight FMA chains of half the length are in flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<T, TV, TL>(T* s, nint ld, int i0, int j, out TV c0, out TV c1, out TV c2, out TV c3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        TV neg = TL.Create(-T.One), zero = TL.Create(T.Zero), one = TL.Create(T.One);
        T* r0 = s + (i0 * ld) + j;
        c0 = TL.Fma(TL.Load(r0), neg, zero);
        c1 = TL.Fma(TL.Load(r0 + ld), neg, zero);
        c2 = TL.Fma(TL.Load(r0 + (2 * ld)), neg, zero);
        c3 = TL.Fma(TL.Load(r0 + (3 * ld)), neg, zero);
        TV d0 = zero, d1 = zero, d2 = zero, d3 = zero;
        T* uk = s;
        for (int k = 0; k < i0; k += 2, uk += 2 * ld)
        {
            T* ul = uk + ld;
            TV x = TL.Load(uk + j), y = TL.Load(ul + j);
            c0 = TL.Fma(TL.Create(uk[i0]), x, c0);
            d0 = TL.Fma(TL.Create(ul[i0]), y, d0);
            c1 = TL.Fma(TL.Create(uk[i0 + 1]), x, c1);
            d1 = TL.Fma(TL.Create(ul[i0 + 1]), y, d1);
            c2 = TL.Fma(TL.Create(uk[i0 + 2]), x, c2);
            d2 = TL.Fma(TL.Create(ul[i0 + 2]), y, d2);
            c3 = TL.Fma(TL.Create(uk[i0 + 3]), x, c3);
            d3 = TL.Fma(TL.Create(ul[i0 + 3]), y, d3);
        }

        c0 = TL.Fma(d0, one, c0);
        c1 = TL.Fma(d1, one, c1);
        c2 = TL.Fma(d2, one, c2);
        c3 = TL.Fma(d3, one, c3);
    }

    /// <summary>Two adjacent strips of the four rows (8 accumulators, one load of U[k] per 4 FMAs): the sums as in <see cref="Accumulate"/>, in increasing k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate2<T, TV, TL>(T* s, nint ld, int i0, int j, out TV a0, out TV a1, out TV a2, out TV a3, out TV b0, out TV b1, out TV b2, out TV b3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        int w = TL.Count;
        TV neg = TL.Create(-T.One), zero = TL.Create(T.Zero);
        T* r0 = s + (i0 * ld) + j;
        a0 = TL.Fma(TL.Load(r0), neg, zero);
        b0 = TL.Fma(TL.Load(r0 + w), neg, zero);
        a1 = TL.Fma(TL.Load(r0 + ld), neg, zero);
        b1 = TL.Fma(TL.Load(r0 + ld + w), neg, zero);
        a2 = TL.Fma(TL.Load(r0 + (2 * ld)), neg, zero);
        b2 = TL.Fma(TL.Load(r0 + (2 * ld) + w), neg, zero);
        a3 = TL.Fma(TL.Load(r0 + (3 * ld)), neg, zero);
        b3 = TL.Fma(TL.Load(r0 + (3 * ld) + w), neg, zero);
        T* uk = s;
        for (int kk = 0; kk < i0; kk++, uk += ld)
        {
            TV x = TL.Load(uk + j), y = TL.Load(uk + j + w);
            TV f = TL.Create(uk[i0]);
            a0 = TL.Fma(f, x, a0);
            b0 = TL.Fma(f, y, b0);
            f = TL.Create(uk[i0 + 1]);
            a1 = TL.Fma(f, x, a1);
            b1 = TL.Fma(f, y, b1);
            f = TL.Create(uk[i0 + 2]);
            a2 = TL.Fma(f, x, a2);
            b2 = TL.Fma(f, y, b2);
            f = TL.Create(uk[i0 + 3]);
            a3 = TL.Fma(f, x, a3);
            b3 = TL.Fma(f, y, b3);
        }
    }

    /// <summary>The finished 4 x 4 diagonal block of a row block: negated reciprocal square roots of the pivots and the multipliers p_qr = e_qr / d_q.</summary>
    private readonly struct BlockCoefficients<T, TV, TL>(T m0, T m1, T m2, T m3, T p01, T p02, T p03, T p12, T p13, T p23)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct
        where TL : IVectorLanes<T, TV>
    {
        /// <summary>Rows i0..i0+3 of one strip from their negated left-looking sums: the block's own eliminations, then each row scaled by its m and stored at p (row stride ld).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Finish(TV c0, TV c1, TV c2, TV c3, T* p, nint ld)
        {
            TV zero = TL.Create(T.Zero);
            TL.Store(TL.Fma(c0, TL.Create(m0), zero), p);
            c1 = TL.Fma(TL.Create(p01), c0, c1);
            c2 = TL.Fma(TL.Create(p02), c0, c2);
            c3 = TL.Fma(TL.Create(p03), c0, c3);
            TL.Store(TL.Fma(c1, TL.Create(m1), zero), p + ld);
            c2 = TL.Fma(TL.Create(p12), c1, c2);
            c3 = TL.Fma(TL.Create(p13), c1, c3);
            TL.Store(TL.Fma(c2, TL.Create(m2), zero), p + (2 * ld));
            c3 = TL.Fma(TL.Create(p23), c2, c3);
            TL.Store(TL.Fma(c3, TL.Create(m3), zero), p + (3 * ld));
        }
    }
}
