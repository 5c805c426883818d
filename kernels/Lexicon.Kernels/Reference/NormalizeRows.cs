namespace Lexicon.Kernels.Reference;

/// <summary>w[m] /= ‖w[m]‖; zero rows stay zero.</summary>
public static class NormalizeRows
{
    public static void Run(double[] w, int rowCount, int d)
    {
        for (int m = 0; m < rowCount; m++)
        {
            double norm = 0;
            for (int i = 0; i < d; i++) norm += w[m * d + i] * w[m * d + i];
            norm = Math.Sqrt(norm);
            if (norm == 0) continue;
            for (int i = 0; i < d; i++) w[m * d + i] /= norm;
        }
    }
}
