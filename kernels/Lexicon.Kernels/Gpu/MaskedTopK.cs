using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>AuxK's selection: <see cref="TopK"/>'s radix select with only the latents of mask ≠ 0 competing; slots
/// beyond their number get (-1, 0).</summary>
internal sealed class MaskedTopK(TopK topK)
{
    public void Run(ArrayView<float> pre, ArrayView<int> mask, int rows, int latents, int k, ArrayView<int> index, ArrayView<float> value) =>
        topK.Run(pre, mask, true, rows, latents, k, index, value);
}
