namespace Lexicon.Kernels.Reference;

/// <summary>xc[b] = x[b] − bDec.</summary>
public static class Center
{
    public static void Run(double[] x, double[] bDec, double[] xc, int rows, int d)
    {
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < d; i++)
                xc[b * d + i] = x[b * d + i] - bDec[i];
    }
}
