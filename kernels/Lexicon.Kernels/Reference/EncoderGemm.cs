namespace Lexicon.Kernels.Reference;

/// <summary>pre[b, m] = ReLU(xc[b] · wEnc[m] + bEnc[m]).</summary>
public static class EncoderGemm
{
    public static void Run(double[] xc, double[] wEnc, double[] bEnc, double[] pre, int rows, int d, int latents)
    {
        for (int b = 0; b < rows; b++)
            for (int m = 0; m < latents; m++)
            {
                double sum = bEnc[m];
                for (int i = 0; i < d; i++) sum += xc[b * d + i] * wEnc[m * d + i];
                pre[b * latents + m] = Math.Max(sum, 0);
            }
    }
}
