namespace Lexicon.Kernels.Reference;

/// <summary>grad[m] −= (grad[m] · w[m]) w[m].</summary>
public static class RemoveParallelGrad
{
    public static void Run(double[] w, double[] grad, int rowCount, int d)
    {
        for (int m = 0; m < rowCount; m++)
        {
            double dot = 0;
            for (int i = 0; i < d; i++) dot += grad[m * d + i] * w[m * d + i];
            for (int i = 0; i < d; i++) grad[m * d + i] -= dot * w[m * d + i];
        }
    }
}
