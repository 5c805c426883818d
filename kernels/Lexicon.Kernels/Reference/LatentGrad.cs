namespace Lexicon.Kernels.Reference;

/// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0.</summary>
public static class LatentGrad
{
    public static void Run(int[] index, double[] value, int rows, int k, double[] w, double[] grad, int d, double[] gAct)
    {
        for (int b = 0; b < rows; b++)
            for (int j = 0; j < k; j++)
            {
                int m = index[b * k + j];
                double sum = 0;
                if (m >= 0 && value[b * k + j] > 0)
                    for (int i = 0; i < d; i++) sum += w[m * d + i] * grad[b * d + i];
                gAct[b * k + j] = sum;
            }
    }
}
