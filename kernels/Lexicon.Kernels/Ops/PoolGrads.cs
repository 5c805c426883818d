namespace Lexicon.Kernels.Ops;

/// <summary>Per touched pool row, Σ scale·value·grad over the entries that selected it (see <see cref="IKernels.PoolGrads"/>).</summary>
public static class PoolGrads
{
    /// <remarks>The entries are all of index ([rows, active] flattened).</remarks>
    public static void Check(ref View<int> start, ref View<int> order, View<int> index, ref View<float> value, int active, int poolRows,
        ref View<float> grad, int d, ref View<int> touched, ref View<float> rowGrads, ref View<int> touchedCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(active, 1);
        long entries = index.Length;
        TouchedRows.Check(entries, poolRows, d, ref start, ref order, ref touched, ref rowGrads, ref touchedCount);
        value = value.Need(entries, nameof(value));
        grad = grad.Need(entries / active * d, nameof(grad));
    }

    /// <summary>Two multiplies and an add per entry and column; each entry's grad row gathered, a gradient row written per
    /// entry at most, the activations.</summary>
    public static OpCost Cost(long entries, int d) => OpCost.Of(3.0 * entries * d, 2.0 * entries * d + entries);
}
