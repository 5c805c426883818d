namespace Lexicon.Kernels.Ops;

/// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m] · wEnc[m] (see <see cref="IKernels.DecoderBiasGrad"/>).</summary>
public static class DecoderBiasGrad
{
    public static void Check(ref View<float> grad, int rows, ref View<float> wEnc, ref View<float> dBEnc, int latents, int d, ref View<float> dBDec)
    {
        grad = grad.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(grad));
        wEnc = wEnc.Need(Sizes.Matrix(latents, d, nameof(latents), nameof(d)), nameof(wEnc));
        dBEnc = dBEnc.Need(latents, nameof(dBEnc));
        dBDec = dBDec.Need(d, nameof(dBDec));
    }

    /// <summary>A multiply-add per term; grad and W_enc read once.</summary>
    public static OpCost Cost(int rows, int latents, int d) =>
        OpCost.Of(2.0 * ((double)rows * d + (double)latents * d), (double)rows * d + (double)latents * d);
}
