namespace Lexicon.Kernels.Cpu;

/// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0: one d-long dot per fired entry.</summary>
public static unsafe class LatentGrad
{
    public static void Run(int* index, float* value, int rows, int k, float* w, float* grad, int d, float* gAct)
    {
        CpuParallel.For(rows, 16, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
                for (int j = 0; j < k; j++)
                {
                    long e = (long)b * k + j;
                    int m = index[e];
                    gAct[e] = m >= 0 && value[e] > 0 ? Simd.Dot(w + (long)m * d, grad + (long)b * d, d) : 0;
                }
        });
    }
}
