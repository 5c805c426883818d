namespace Lexicon.Kernels.Ops;

/// <summary>dW_dec, dW_enc and db_enc from the entries grouped by latent (see <see cref="IKernels.SparseWeightGrads"/>).</summary>
public static class SparseWeightGrads
{
    /// <remarks>auxGrad is read (and checked) only when kAux &gt; 0.</remarks>
    public static void Check(ref View<int> start, ref View<int> order, ref View<float> value, ref View<float> gAct, int rows, int k, int kAux,
        ref View<float> grad, ref View<float> auxGrad, ref View<float> xc, int d, int latents,
        ref View<float> dWEnc, ref View<float> dBEnc, ref View<float> dWDec)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kAux);
        long entries = Sizes.Matrix(rows, k + kAux, nameof(rows), nameof(k)), n = Sizes.Matrix(rows, d, nameof(rows), nameof(d));
        long weights = Sizes.Matrix(latents, d, nameof(latents), nameof(d));
        start = start.Need(latents + 1L, nameof(start));
        order = order.Need(entries, nameof(order));
        value = value.Need(entries, nameof(value));
        gAct = gAct.Need(entries, nameof(gAct));
        grad = grad.Need(n, nameof(grad));
        if (kAux > 0) auxGrad = auxGrad.Need(n, nameof(auxGrad));
        xc = xc.Need(n, nameof(xc));
        dWEnc = dWEnc.Need(weights, nameof(dWEnc));
        dBEnc = dBEnc.Need(latents, nameof(dBEnc));
        dWDec = dWDec.Need(weights, nameof(dWDec));
    }

    /// <summary>4 FLOPs per entry and column; two gathered rows per entry, both weight gradients written, the entries.</summary>
    public static OpCost Cost(int rows, int k, int kAux, int d, int latents)
    {
        double entries = (double)rows * (k + kAux);
        return OpCost.Of(4.0 * entries * d, 2.0 * entries * d + 2.0 * latents * d + 4 * entries);
    }
}
