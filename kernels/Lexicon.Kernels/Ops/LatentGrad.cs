namespace Lexicon.Kernels.Ops;

/// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0 (see <see cref="IKernels.LatentGrad"/>).</summary>
public static class LatentGrad
{
    /// <remarks>w is gathered by index and left whole.</remarks>
    public static void Check(ref View<int> index, ref View<float> value, int rows, int k, ref View<float> grad, int d, ref View<float> gAct)
    {
        long entries = Sizes.Matrix(rows, k, nameof(rows), nameof(k));
        index = index.Need(entries, nameof(index));
        value = value.Need(entries, nameof(value));
        grad = grad.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(grad));
        gAct = gAct.Need(entries, nameof(gAct));
    }

    /// <summary>2·B·k·d; the gathered rows, grad and the selection in and out.</summary>
    public static OpCost Cost(int rows, int k, int d) =>
        OpCost.Of(2.0 * rows * k * d, (double)rows * k * d + (double)rows * d + 3.0 * rows * k);
}
