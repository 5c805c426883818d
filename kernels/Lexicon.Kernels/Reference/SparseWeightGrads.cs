namespace Lexicon.Kernels.Reference;

/// <summary>The sparse weight gradients, straight from the definition: every selected (token, latent) entry adds
/// value·source[b] to dWDec[m], gAct·xc[b] to dWEnc[m] and gAct to dBEnc[m]. Entries e &lt; rows·k belong to the
/// main selection (source grad), the rest to AuxK (source auxGrad).</summary>
public static class SparseWeightGrads
{
    public static void Run(int[] index, double[] value, double[] gAct, int rows, int k, int kAux,
        double[] grad, double[]? auxGrad, double[] xc, int d, int latents,
        double[] dWEnc, double[] dBEnc, double[] dWDec)
    {
        Array.Clear(dWEnc);
        Array.Clear(dBEnc);
        Array.Clear(dWDec);
        int mainCount = rows * k;
        for (int e = 0; e < mainCount + rows * kAux; e++)
        {
            int m = index[e];
            if (m < 0) continue;
            bool main = e < mainCount;
            int b = main ? e / k : (e - mainCount) / kAux;
            double[] source = main ? grad : auxGrad!;
            for (int i = 0; i < d; i++)
            {
                dWDec[m * d + i] += value[e] * source[b * d + i];
                dWEnc[m * d + i] += gAct[e] * xc[b * d + i];
            }
            dBEnc[m] += gAct[e];
        }
    }
}
