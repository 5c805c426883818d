using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>The encoder GEMM, then the top-k of its output, pre going through device memory between the two kernels
/// (top-k's groups each need a whole row, the GEMM's tiles hold 128 latents of one). Kept variants
/// (<see cref="IlgpuVariants"/>): 1, top-k over every latent of each row; 2 (the default), the GEMM's epilogue also
/// writes each row's panel maxima and <see cref="PanelTopK"/> reads only the panels that can hold a winner — where
/// rows have more panels than k (else, and for rows too wide for its shared memory, as 1).</summary>
internal sealed class EncodeTopK(IDenseGemm gemm, TopK topK, PanelTopK panelTopK)
{
    /// <summary>Whether a call reads the panel maxima (and so needs <see cref="PanelMaximaLength"/> of scratch).</summary>
    public static bool UsesPanels(bool panels, int latents, int k) => panels && PanelTopK.Applies(latents, k);

    public static long PanelMaximaLength(int rows, int latents) => (long)rows * EncoderGemm.Panels(latents);

    /// <param name="panels">Variant 2: through the panel maxima, where they apply.</param>
    /// <param name="panelMax">Scratch of <see cref="PanelMaximaLength"/> when <see cref="UsesPanels"/>, else any valid view.</param>
    public void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, int rows, int d, int latents,
        int k, ArrayView<int> index, ArrayView<float> value, bool panels, ArrayView<uint> panelMax)
    {
        bool usePanels = UsesPanels(panels, latents, k);
        gemm.Run(xc, wEnc, bEnc, pre, panelMax, usePanels, rows, d, latents);
        if (usePanels) panelTopK.Run(pre, panelMax, rows, latents, k, index, value);
        else topK.Run(pre, rows, latents, k, index, value);
    }
}
