namespace Lexicon.Kernels.Ops;

/// <summary>Lazy Adam on the touched rows of a [rows, d] matrix: a table's or the pool's (see <see cref="IKernels.SparseAdam"/>).</summary>
public static class SparseAdam
{
    /// <remarks>The touched count stays on the device, so touched and rowGrads are checked for the most rows the count can
    /// reach: the fewer of their rows and the matrix's.</remarks>
    public static void Check(View<float> table, ref View<float> moment1, ref View<float> moment2, ref View<int> rowSteps,
        ref View<int> touched, ref View<float> rowGrads, ref View<int> touchedCount, int d)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        long tableRows = table.Length / d, maxRows = Math.Min(Math.Min(touched.Length, rowGrads.Length / d), tableRows);
        moment1 = moment1.Need(table.Length, nameof(moment1));
        moment2 = moment2.Need(table.Length, nameof(moment2));
        rowSteps = rowSteps.Need(tableRows, nameof(rowSteps));
        touched = touched.Need(maxRows, nameof(touched));
        rowGrads = rowGrads.Need(maxRows * d, nameof(rowGrads));
        touchedCount = touchedCount.Need(1, nameof(touchedCount));
    }

    /// <summary>As <see cref="Adam.Cost"/> over every row that can be touched.</summary>
    public static OpCost Cost(long touchedRows, int d) => Adam.Cost(touchedRows * d);
}
