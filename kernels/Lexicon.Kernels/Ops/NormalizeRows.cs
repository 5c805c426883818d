namespace Lexicon.Kernels.Ops;

/// <summary>w[m] /= ‖w[m]‖ (see <see cref="IKernels.NormalizeRows"/>).</summary>
public static class NormalizeRows
{
    public static void Check(ref View<float> w, int rowCount, int d) => w = w.Need(Sizes.Matrix(rowCount, d, nameof(rowCount), nameof(d)), nameof(w));

    /// <summary>A square-sum and a division per element; w read and written.</summary>
    public static OpCost Cost(int rowCount, int d) => OpCost.Of(3.0 * rowCount * d, 2.0 * rowCount * d);
}
