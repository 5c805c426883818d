namespace Lexicon.Kernels.Cpu;

/// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m]·wEnc[m], split over columns so each sum runs in one fixed order.</summary>
public static unsafe class DecoderBiasGrad
{
    public static void Run(float* grad, int rows, float* wEnc, float* dBEnc, int latents, int d, float* dBDec)
    {
        const int columnsPerChunk = 64;
        CpuParallel.For((d + columnsPerChunk - 1) / columnsPerChunk, 1, (c0, c1) =>
        {
            int i0 = c0 * columnsPerChunk, n = Math.Min(d, c1 * columnsPerChunk) - i0;
            float* acc = dBDec + i0;
            Simd.Zero(acc, n);
            for (int b = 0; b < rows; b++) Simd.Axpy(1, grad + (long)b * d + i0, acc, n);
            for (int m = 0; m < latents; m++)
                if (dBEnc[m] != 0) Simd.Axpy(-dBEnc[m], wEnc + (long)m * d + i0, acc, n);
        });
    }
}
