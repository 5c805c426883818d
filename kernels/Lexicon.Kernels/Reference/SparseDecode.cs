namespace Lexicon.Kernels.Reference;

/// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]] (bias null means zero; index -1 is an empty slot).</summary>
public static class SparseDecode
{
    public static void Run(int[] index, double[] value, int rows, int k, double[] w, double[]? bias, double[] output, int d)
    {
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < d; i++)
            {
                double sum = bias?[i] ?? 0;
                for (int j = 0; j < k; j++)
                {
                    int m = index[b * k + j];
                    if (m >= 0) sum += value[b * k + j] * w[m * d + i];
                }
                output[b * d + i] = sum;
            }
    }
}
