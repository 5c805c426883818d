namespace Lexicon.Kernels.Ops;

/// <summary>Per touched table row, the sum of scale·source over the entries that selected it (see
/// <see cref="IKernels.TableGrads"/>).</summary>
public static class TableGrads
{
    /// <remarks>The entries are all of rowIndex ([rows, slots] flattened).</remarks>
    public static void Check(ref View<int> start, ref View<int> order, View<int> rowIndex, int slots, int totalRows, ref View<float> source, int d,
        ref View<int> touched, ref View<float> rowGrads, ref View<int> touchedCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        long entries = rowIndex.Length;
        TouchedRows.Check(entries, totalRows, d, ref start, ref order, ref touched, ref rowGrads, ref touchedCount);
        source = source.Need(entries / slots * d, nameof(source));
    }

    /// <summary>An add per entry and column; each entry's source row gathered, a gradient row written per entry at most.</summary>
    public static OpCost Cost(long entries, int d) => OpCost.Of(2.0 * entries * d, 2.0 * entries * d);
}
