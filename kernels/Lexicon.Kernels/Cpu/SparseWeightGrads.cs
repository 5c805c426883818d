namespace Lexicon.Kernels.Cpu;

/// <summary>
/// dW_dec, dW_enc and db_enc latent by latent from the grouped entries: each latent's rows are owned by one thread and
/// summed in entry order, so there are no atomics and no dense B×M gradient. Latents are split into ranges of about
/// equal entry counts (feature frequencies are far from uniform).
/// </summary>
public static unsafe class SparseWeightGrads
{
    public static void Run(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, int d, int latents, float* dWEnc, float* dBEnc, float* dWDec)
    {
        int chunks = Math.Min(latents, CpuParallel.Threads * 4);
        var bounds = BalancedBounds(start, latents, chunks);
        long mainCount = (long)rows * k;
        CpuParallel.ForEachChunk(chunks, c =>
        {
            for (int m = bounds[c]; m < bounds[c + 1]; m++)
            {
                float* wDec = dWDec + (long)m * d, wEnc = dWEnc + (long)m * d;
                Simd.Zero(wDec, d);
                Simd.Zero(wEnc, d);
                float bias = 0;
                for (int s = start[m]; s < start[m + 1]; s++)
                {
                    int e = order[s];
                    bool main = e < mainCount;
                    long b = main ? e / k : (e - mainCount) / kAux;
                    Simd.Axpy(value[e], (main ? grad : auxGrad) + b * d, wDec, d);
                    Simd.Axpy(gAct[e], xc + b * d, wEnc, d);
                    bias += gAct[e];
                }
                dBEnc[m] = bias;
            }
        });
    }

    /// <summary>Latent boundaries giving each chunk about the same number of entries (plus one per latent for zeroing).</summary>
    private static int[] BalancedBounds(int* start, int latents, int chunks)
    {
        var bounds = new int[chunks + 1];
        long total = start[latents] + (long)latents;
        int m = 0;
        for (int c = 1; c < chunks; c++)
        {
            long target = total * c / chunks;
            while (m < latents && start[m] + (long)m < target) m++;
            bounds[c] = m;
        }
        bounds[chunks] = latents;
        return bounds;
    }
}
