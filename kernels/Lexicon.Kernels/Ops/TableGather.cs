namespace Lexicon.Kernels.Ops;

/// <summary>output[b] = Σ_s table[rowIndex[b, s]] (see <see cref="IKernels.TableGather"/>).</summary>
public static class TableGather
{
    /// <remarks>The table is gathered by rowIndex and left whole.</remarks>
    public static void Check(ref View<int> rowIndex, int rows, int slots, int d, ref View<float> output)
    {
        rowIndex = rowIndex.Need(Sizes.Matrix(rows, slots, nameof(rows), nameof(slots)), nameof(rowIndex));
        output = output.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(output));
    }

    /// <summary>An add per slot and column; the gathered rows and the output.</summary>
    public static OpCost Cost(int rows, int slots, int d) => OpCost.Of((double)rows * slots * d, (double)rows * slots * d + (double)rows * d);
}
