namespace Lexicon.Kernels.Reference;

/// <summary>The decoder's update: the parallel gradient removed, one Adam step, the rows renormalised.</summary>
public static class DecoderAdam
{
    public static void Run(double[] w, double[] grad, double[] moment1, double[] moment2, int rowCount, int d, in AdamStep step)
    {
        RemoveParallelGrad.Run(w, grad, rowCount, d);
        Adam.Run(w, grad, moment1, moment2, step);
        NormalizeRows.Run(w, rowCount, d);
    }
}
