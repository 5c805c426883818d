namespace Lexicon.Kernels.Reference;

/// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]].</summary>
public static class PoolDecode
{
    public static void Run(int[] index, double[] value, int rows, int active, double[] pool, int d, double[] output)
    {
        for (int b = 0; b < rows; b++)
            for (int j = 0; j < active; j++)
            {
                int g = index[b * active + j];
                if (g < 0) continue;
                for (int i = 0; i < d; i++) output[b * d + i] += value[b * active + j] * pool[(long)g * d + i];
            }
    }
}
