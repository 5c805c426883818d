namespace Lexicon.Kernels.Reference;

/// <summary>pre = <see cref="EncoderGemm"/>, then its <see cref="TopK"/>: the two steps, composed.</summary>
public static class EncodeTopK
{
    public static void Run(double[] xc, double[] wEnc, double[] bEnc, double[] pre, int rows, int d, int latents, int k, int[] index, double[] value)
    {
        EncoderGemm.Run(xc, wEnc, bEnc, pre, rows, d, latents);
        TopK.Run(pre, rows, latents, k, index, value);
    }
}
