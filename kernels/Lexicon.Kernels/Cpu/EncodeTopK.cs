using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The encoder GEMM with the top-k's first pass fused into its epilogue: the epilogue writes, per row, the maximum of
/// each 32-latent panel of the tile it stores, and <see cref="TopK"/> then reads only the panels whose maximum can hold
/// a winner (typically ~k of M/32), never scanning the rows. The maxima are scratch of this one call: nothing is kept
/// for a later one. pre is still written whole, as AuxK selects from it.
/// </summary>
public static unsafe class EncodeTopK
{
    public static long PanelMaximaLength(int rows, int latents) => (long)rows * TopK.Panels(latents);

    /// <param name="blockBuffers">Scratch for <see cref="EncoderGemm.Run"/>, as is packedInput.</param>
    /// <param name="panelMax"><see cref="PanelMaximaLength"/> floats of scratch.</param>
    /// <returns>The panels of pre top-k read (<see cref="TopK.Run"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents, int k, int* index, float* value,
        float* blockBuffers, float* packedInput, float* panelMax)
    {
        EncoderGemm.Run(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax);
        return TopK.Run(pre, rows, latents, k, index, value, panelMax);
    }
}
