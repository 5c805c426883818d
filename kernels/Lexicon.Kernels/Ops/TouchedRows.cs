namespace Lexicon.Kernels.Ops;

/// <summary>The output rules that <see cref="TableGrads"/> and <see cref="PoolGrads"/> share: entries grouped by row
/// touch at most min(entries, rows) rows, each with a gradient of d values, and their count is one value.</summary>
internal static class TouchedRows
{
    public static void Check(long entries, int rowCount, int d, ref View<int> start, ref View<int> order,
        ref View<int> touched, ref View<float> rowGrads, ref View<int> touchedCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        long maxRows = Math.Min(entries, rowCount);
        start = start.Need(rowCount + 1L, nameof(start));
        order = order.Need(entries, nameof(order));
        touched = touched.Need(maxRows, nameof(touched));
        rowGrads = rowGrads.Need(maxRows * d, nameof(rowGrads));
        touchedCount = touchedCount.Need(1, nameof(touchedCount));
    }
}
