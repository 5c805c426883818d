namespace Lexicon.Kernels.Ops;

/// <summary>gAct and the sparse weight gradients in one call (see <see cref="IKernels.SparseGrads"/>).</summary>
public static class SparseGrads
{
    /// <remarks>auxGrad is read (and checked) only when kAux &gt; 0; wDec is read by index and left whole.</remarks>
    public static void Check(ref View<int> index, ref View<int> start, ref View<int> order, ref View<float> value, int rows, int k, int kAux,
        ref View<float> grad, ref View<float> auxGrad, ref View<float> xc, ref View<float> wDec, int d, int latents,
        ref View<float> gAct, ref View<float> dWEnc, ref View<float> dBEnc, ref View<float> dWDec)
    {
        SparseWeightGrads.Check(ref start, ref order, ref value, ref gAct, rows, k, kAux, ref grad, ref auxGrad, ref xc, d, latents,
            ref dWEnc, ref dBEnc, ref dWDec);
        index = index.Need(Sizes.Matrix(rows, k + kAux, nameof(rows), nameof(k)), nameof(index));
        wDec = wDec.Need(Sizes.Matrix(latents, d, nameof(latents), nameof(d)), nameof(wDec));
    }

    /// <summary>LatentGrad's dot and SparseWeightGrads' two updates per entry and column (6 FLOPs); fused, each entry's
    /// two gathered rows once, wDec once (by latent), both weight gradients written, the entries and gAct.</summary>
    public static OpCost Cost(int rows, int k, int kAux, int d, int latents)
    {
        double entries = (double)rows * (k + kAux);
        return OpCost.Of(6.0 * entries * d, 2.0 * entries * d + 3.0 * latents * d + 5 * entries);
    }
}
