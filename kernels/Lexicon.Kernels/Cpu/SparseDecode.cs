namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]]: k row gathers and fp32 FMAs per token.</summary>
public static unsafe class SparseDecode
{
    public static void Run(int* index, float* value, int rows, int k, float* w, float* bias, float* output, int d)
    {
        CpuParallel.For(rows, 16, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                float* y = output + (long)b * d;
                if (bias != null) new ReadOnlySpan<float>(bias, d).CopyTo(new Span<float>(y, d));
                else Simd.Zero(y, d);
                for (int j = 0; j < k; j++)
                {
                    int m = index[(long)b * k + j];
                    if (m >= 0) Simd.Axpy(value[(long)b * k + j], w + (long)m * d, y, d);
                }
            }
        });
    }
}
