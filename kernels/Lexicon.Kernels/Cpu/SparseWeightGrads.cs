using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// dW_dec, dW_enc and db_enc latent by latent from the grouped entries: each latent's rows are owned by one thread and
/// summed in entry order, so there are no atomics and no dense B×M gradient. Latents are split into ranges of about
/// equal entry counts (feature frequencies are far from uniform). A latent's two rows are summed in an L1-resident
/// scratch, four gathered rows per pass (the same roundings as one at a time), and written out once with streaming
/// stores (the M×d gradients are read next by the optimiser, much later: no read for ownership, no eviction of the
/// gathered rows from L3). The rows of the entry <see cref="CpuTuning.WeightGradAhead"/> places ahead are prefetched,
/// by default none: on Zen 4 prefetching cost 10–25% in the W2 step and bought nothing at W1 (each latent's entries are
/// in token order, which its hardware prefetchers follow well enough); where they do not, the tuner finds out.
/// </summary>
public static unsafe class SparseWeightGrads
{
    public static void Run(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, int d, int latents, float* dWEnc, float* dBEnc, float* dWDec) =>
        Run(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, d, latents, dWEnc, dBEnc, dWDec, CpuTuning.WeightGradAhead);

    /// <summary>With the rows of the entry <paramref name="distance"/> places ahead prefetched (0: none), the tuner's
    /// candidates: the same bits at every distance.</summary>
    public static void Run(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, int d, int latents, float* dWEnc, float* dBEnc, float* dWDec, int distance) =>
        Run(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, null, d, latents, dWEnc, dBEnc, dWDec, distance);

    /// <param name="wDec">When not null, gAct is written, not read: for each grouped entry, value &gt; 0 ? wDec[m] ·
    /// its gradient row : 0, LatentGrad's dot in its order (<see cref="SparseGrads"/>); entries left out of the groups
    /// are the caller's to zero.</param>
    internal static void Run(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, float* wDec, int d, int latents, float* dWEnc, float* dBEnc, float* dWDec, int distance)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, dWEnc, dBEnc, dWDec, distance); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, dWEnc, dBEnc, dWDec, distance); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, dWEnc, dBEnc, dWDec, distance); break;
            default: Run<float, SimdScalar>(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, dWEnc, dBEnc, dWDec, distance); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, float* wDec, int d, int latents, float* dWEnc, float* dBEnc, float* dWDec, int distance)
        where V : struct where S : struct, ISimd<V>
    {
        int chunks = Math.Min(latents, CpuParallel.Threads * 4);
        var bounds = BalancedBounds(start, latents, chunks);
        CpuParallel.ForEachChunk(chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
            Latents<V, S>(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, wDec, d, dWEnc, dBEnc, dWDec, distance, bounds[c], bounds[c + 1]));
    }

    /// <summary>Latents [m0, m1): one work item (its arguments as parameters, so the loop keeps them in registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Latents<V, S>(int* start, int* order, float* value, float* gAct, int rows, int k, int kAux,
        float* grad, float* auxGrad, float* xc, float* wDec, int d, float* dWEnc, float* dBEnc, float* dWDec, int distance, int m0, int m1)
        where V : struct where S : struct, ISimd<V>
    {
        long mainCount = (long)rows * k;
        int end = start[m1];
        if (distance > 0)
            for (int s = start[m0]; s < Math.Min(end, start[m0] + distance); s++) Prefetch(order[s], mainCount, k, kAux, grad, auxGrad, xc, d);
        float* scratch = (float*)NativeMemory.AlignedAlloc((nuint)(2 * Pad(d) * sizeof(float)), 64);
        float* accDec = scratch, accEnc = scratch + Pad(d);
        var gradRows = stackalloc float*[4];
        var xcRows = stackalloc float*[4];
        var decWeights = stackalloc float[4];
        var encWeights = stackalloc float[4];
        var entries = stackalloc int[4];
        for (int m = m0; m < m1; m++)
        {
            float* wDecRow = dWDec + (long)m * d, wEncRow = dWEnc + (long)m * d;
            if (start[m] == start[m + 1])
            {
                Simd.ZeroStreaming<V, S>(wDecRow, d);
                Simd.ZeroStreaming<V, S>(wEncRow, d);
                dBEnc[m] = 0;
                continue;
            }
            float* decoder = wDec == null ? null : wDec + (long)m * d; // this latent's W_dec row, when gAct is computed here
            Simd.Zero(accDec, d);
            Simd.Zero(accEnc, d);
            float bias = 0;
            int pending = 0;
            for (int s = start[m]; s < start[m + 1]; s++)
            {
                if (distance > 0 && s + distance < end) Prefetch(order[s + distance], mainCount, k, kAux, grad, auxGrad, xc, d);
                int e = order[s];
                long b = RowOf(e, mainCount, k, kAux);
                gradRows[pending] = (e < mainCount ? grad : auxGrad) + b * d;
                xcRows[pending] = xc + b * d;
                decWeights[pending] = value[e];
                entries[pending++] = e;
                if (pending < 4) continue;
                if (decoder != null)
                {
                    // The dots ride on dW_dec's pass over the four gradient rows: LatentGrad's dots, bit for bit.
                    Simd.Axpy4Dot4<V, S>(decWeights[0], gradRows[0], decWeights[1], gradRows[1], decWeights[2], gradRows[2], decWeights[3],
                        gradRows[3], accDec, decoder, d, out encWeights[0], out encWeights[1], out encWeights[2], out encWeights[3]);
                    for (int p = 0; p < 4; p++) gAct[entries[p]] = encWeights[p] = decWeights[p] > 0 ? encWeights[p] : 0;
                }
                else
                {
                    for (int p = 0; p < 4; p++) encWeights[p] = gAct[entries[p]];
                    Simd.Axpy4<V, S>(decWeights[0], gradRows[0], decWeights[1], gradRows[1], decWeights[2], gradRows[2], decWeights[3], gradRows[3], accDec, d);
                }
                for (int p = 0; p < 4; p++) bias += encWeights[p];
                Simd.Axpy4<V, S>(encWeights[0], xcRows[0], encWeights[1], xcRows[1], encWeights[2], xcRows[2], encWeights[3], xcRows[3], accEnc, d);
                pending = 0;
            }
            for (int p = 0; p < pending; p++)
            {
                float g = decoder == null ? gAct[entries[p]]
                    : gAct[entries[p]] = decWeights[p] > 0 ? Simd.Dot<V, S>(decoder, gradRows[p], d) : 0;
                bias += g;
                Simd.Axpy<V, S>(decWeights[p], gradRows[p], accDec, d);
                Simd.Axpy<V, S>(g, xcRows[p], accEnc, d);
            }
            Simd.CopyStreaming<V, S>(accDec, wDecRow, d);
            Simd.CopyStreaming<V, S>(accEnc, wEncRow, d);
            dBEnc[m] = bias;
        }
        Simd.StreamingDone();
        NativeMemory.AlignedFree(scratch);
    }

    /// <summary>The token of entry e: main entries come k to a token, then AuxK's kAux to a token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long RowOf(int e, long mainCount, int k, int kAux) => e < mainCount ? e / k : (e - mainCount) / kAux;

    /// <summary>Entry e's gradient row (main or AuxK) and its xc row, into L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(int e, long mainCount, int k, int kAux, float* grad, float* auxGrad, float* xc, int d)
    {
        long b = RowOf(e, mainCount, k, kAux);
        Simd.Prefetch((e < mainCount ? grad : auxGrad) + b * d, d);
        Simd.Prefetch(xc + b * d, d);
    }

    private static int Pad(int d) => (d + 15) / 16 * 16;

    /// <summary>Latent boundaries giving each chunk about the same number of entries (plus one per latent for zeroing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

