namespace Lexicon.Kernels.Reference;

/// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m] · wEnc[m].</summary>
public static class DecoderBiasGrad
{
    public static void Run(double[] grad, int rows, double[] wEnc, double[] dBEnc, int latents, int d, double[] dBDec)
    {
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int b = 0; b < rows; b++) sum += grad[b * d + i];
            for (int m = 0; m < latents; m++) sum -= dBEnc[m] * wEnc[m * d + i];
            dBDec[i] = sum;
        }
    }
}
