namespace Lexicon.Kernels.Reference;

/// <summary>gAct from <see cref="LatentGrad"/> for the main and AuxK entries (each against its own gradient source),
/// then <see cref="SparseWeightGrads"/> from it: the definition the fused kernels are checked against.</summary>
public static class SparseGrads
{
    public static void Run(int[] index, double[] value, int rows, int k, int kAux, double[] grad, double[]? auxGrad, double[] xc,
        double[] wDec, int d, int latents, double[] gAct, double[] dWEnc, double[] dBEnc, double[] dWDec)
    {
        int mainCount = rows * k;
        LatentGrad.Run(index, value, rows, k, wDec, grad, d, gAct); // the main entries come first in every array
        if (kAux > 0)
        {
            var auxGAct = new double[rows * kAux];
            LatentGrad.Run(index[mainCount..(mainCount + rows * kAux)], value[mainCount..(mainCount + rows * kAux)], rows, kAux, wDec,
                auxGrad!, d, auxGAct);
            auxGAct.CopyTo(gAct, mainCount);
        }
        SparseWeightGrads.Run(index, value, gAct, rows, k, kAux, grad, auxGrad, xc, d, latents, dWEnc, dBEnc, dWDec);
    }
}
