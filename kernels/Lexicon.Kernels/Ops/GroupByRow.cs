namespace Lexicon.Kernels.Ops;

/// <summary>Counting sort of entries by the row they select (see <see cref="IKernels.GroupByRow"/>).</summary>
public static class GroupByRow
{
    public static void Check(ref View<int> index, int count, int rowCount, ref View<int> start, ref View<int> order)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        index = index.Need(count, nameof(index));
        start = start.Need(rowCount + 1L, nameof(start));
        order = order.Need(count, nameof(order));
    }

    /// <summary>An index step per entry; the entries read, counted and placed, and the starts.</summary>
    public static OpCost Cost(int count, int rowCount) => OpCost.Of(count, 3.0 * count + rowCount);
}
