namespace Lexicon.Kernels.Ops;

/// <summary>The encoder GEMM and the top-k of its output in one call (see <see cref="IKernels.EncodeTopK"/>).</summary>
public static class EncodeTopK
{
    public static void Check(ref View<float> xc, ref View<float> wEnc, ref View<float> bEnc, ref View<float> pre, int rows, int d, int latents,
        int k, ref View<int> index, ref View<float> value)
    {
        EncoderGemm.Check(ref xc, ref wEnc, ref bEnc, ref pre, rows, d, latents);
        TopK.Check(ref pre, rows, latents, k, ref index, ref value);
    }

    /// <summary>The GEMM's FLOPs and the top-k's compares; pre counted once (written), as every operand.</summary>
    public static OpCost Cost(int rows, int d, int latents, int k) =>
        OpCost.Of(2.0 * rows * d * latents + (double)rows * latents,
            (double)rows * d + (double)latents * d + (double)rows * latents + 2.0 * rows * k);
}
