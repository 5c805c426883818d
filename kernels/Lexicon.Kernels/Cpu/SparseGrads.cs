namespace Lexicon.Kernels.Cpu;

/// <summary>
/// LatentGrad fused into <see cref="SparseWeightGrads"/>: a latent's entries are walked once, and each gathered gradient
/// row, just loaded for dW_dec, gives its gAct against the latent's one W_dec row (in L1) before it is used for dW_enc.
/// LatentGrad alone gathers a W_dec row per entry (B·k rows, ~200 MB at W2) to compute the same dots: fused, that pass
/// is gone. gAct comes out bit for bit as LatentGrad's, so the gradients are SparseWeightGrads' bits too.
/// </summary>
public static unsafe class SparseGrads
{
    public static void Run(int* index, int* start, int* order, float* value, int rows, int k, int kAux, float* grad, float* auxGrad,
        float* xc, float* wDec, int d, int latents, float* gAct, float* dWEnc, float* dBEnc, float* dWDec)
    {
        long entries = (long)rows * (k + kAux);
        // Empty slots are left out of the groups: their gAct is 0, as LatentGrad writes it.
        CpuParallel.For((int)Math.Min(int.MaxValue, entries), 1 << 14, (e0, e1) =>
        {
            for (int e = e0; e < e1; e++)
                if (index[e] < 0) gAct[e] = 0;
        });
        SparseWeightGrads.Run(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, dWEnc, dBEnc, dWDec,
            CpuTuning.WeightGradAhead);
    }
}
