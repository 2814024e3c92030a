namespace StarNet.Data;

/// <summary>One top-level variable of a MAT v5 file, as listed by <see cref="MatV5File.ReadDirectory"/>.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Class">The MATLAB array class.</param>
/// <param name="Dimensions">The dimensions, in MATLAB (column-major) order.</param>
/// <param name="ElementType">How the real part is stored, or null for a variable that is not a real numeric array.</param>
/// <param name="DataBytes">The size of the real part in bytes.</param>
/// <param name="ElementOffset">The file offset of the element's content (just after its tag).</param>
/// <param name="DataOffset">The offset of the real part from the start of the (decompressed) content.</param>
/// <param name="Compressed">Whether the element is an <c>miCOMPRESSED</c> element.</param>
internal sealed record MatVariable(
    string Name,
    MatV5File.ArrayClass Class,
    int[] Dimensions,
    NumericType? ElementType,
    long DataBytes,
    long ElementOffset,
    long DataOffset,
    bool Compressed)
{
    /// <summary>The number of elements: the product of the dimensions.</summary>
    public long Count => Dimensions.Aggregate(1L, (product, dim) => product * dim);
}
