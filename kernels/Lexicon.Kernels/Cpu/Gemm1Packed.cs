using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Gemm1Packed — the first CPU encoder GEMM, kept for comparison: all of W_enc packed into 32-latent panels up front
/// (the packed copy, M·d floats, written to memory and read back block by block), regular stores of pre, and work items
/// handed to the thread pool one by one; always the 6-row tile and 512 KB blocks it was measured with. Same micro-kernel and epilogue (bias, ReLU, panel maxima) as
/// <see cref="EncoderGemm"/>, which packs each block in the core that uses it and streams pre out instead.
/// </summary>
public static unsafe class Gemm1Packed
{
    private const int L2BlockBytes = 512 * 1024;

    /// <summary>Packed panels plus the bias padded to whole panels.</summary>
    public static long PackedWeightLength(int d, int latents) => (long)EncoderGemm.Panels(latents) * EncoderGemm.TileLatents * (d + 1);

    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* packedWeight, float* packedInput, float* panelMax = null)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(xc, wEnc, bEnc, pre, rows, d, latents, packedWeight, packedInput, panelMax); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(xc, wEnc, bEnc, pre, rows, d, latents, packedWeight, packedInput, panelMax); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(xc, wEnc, bEnc, pre, rows, d, latents, packedWeight, packedInput, panelMax); break;
            default: Run<float, SimdScalar>(xc, wEnc, bEnc, pre, rows, d, latents, packedWeight, packedInput, panelMax); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* packedWeight, float* packedInput, float* panelMax = null) where V : struct where S : struct, ISimd<V>
    {
        int panels = EncoderGemm.Panels(latents);
        float* paddedBias = packedWeight + (long)panels * EncoderGemm.TileLatents * d;
        CpuParallel.For(panels, 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p0, p1) =>
            EncoderGemm.PackPanels(wEnc, bEnc, packedWeight + (long)p0 * EncoderGemm.TileLatents * d, paddedBias + p0 * EncoderGemm.TileLatents,
                p0, p1, d, latents));
        EncoderGemm.PackInput(xc, packedInput, rows, d, Rows6.Value);
        int microPanels = EncoderGemm.MicroPanels(rows, Rows6.Value);
        int panelsPerBlock = Math.Clamp(L2BlockBytes / (EncoderGemm.TileLatents * sizeof(float) * d), 1, panels);
        int blocks = (panels + panelsPerBlock - 1) / panelsPerBlock;
        int tokenChunks = Math.Clamp(CpuParallel.Threads * 4 / blocks, 1, microPanels);
        CpuParallel.ForEachChunk(blocks * tokenChunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (item) =>
        {
            int block = item / tokenChunks, chunk = item % tokenChunks;
            int p0 = block * panelsPerBlock, p1 = Math.Min(panels, p0 + panelsPerBlock);
            int q0 = (int)((long)microPanels * chunk / tokenChunks), q1 = (int)((long)microPanels * (chunk + 1) / tokenChunks);
            EncoderGemm.MultiplyBlock<V, S, Rows6, Prefetch0>(packedInput, packedWeight + (long)p0 * EncoderGemm.TileLatents * d, paddedBias + p0 * EncoderGemm.TileLatents,
                pre, rows, d, latents, p0, p1, q0, q1, panelMax, streaming: false);
        });
    }
}
