using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>The encoder GEMM, then the top-k of its output: composed, pre going through device memory between the two
/// kernels (top-k's groups each need a whole row, the GEMM's tiles hold 128 latents of one).</summary>
internal sealed class EncodeTopK(EncoderGemm gemm, TopK topK)
{
    public void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, int rows, int d, int latents,
        int k, ArrayView<int> index, ArrayView<float> value)
    {
        gemm.Run(xc, wEnc, bEnc, pre, rows, d, latents);
        topK.Run(pre, rows, latents, k, index, value);
    }
}
