namespace Lexicon.Kernels.Ops;

/// <summary>pre = ReLU(xc · W_encᵀ + b_enc) (see <see cref="IKernels.EncoderGemm"/>).</summary>
public static class EncoderGemm
{
    public static void Check(ref View<float> xc, ref View<float> wEnc, ref View<float> bEnc, ref View<float> pre, int rows, int d, int latents)
    {
        xc = xc.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(xc));
        wEnc = wEnc.Need(Sizes.Matrix(latents, d, nameof(latents), nameof(d)), nameof(wEnc));
        bEnc = bEnc.Need(latents, nameof(bEnc));
        pre = pre.Need((long)rows * latents, nameof(pre));
    }

    /// <summary>2·B·d·M; xc, W_enc and pre once each.</summary>
    public static OpCost Cost(int rows, int d, int latents) =>
        OpCost.Of(2.0 * rows * d * latents, (double)rows * d + (double)latents * d + (double)rows * latents);
}
