using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>The encoder's dense product as <see cref="EncodeTopK"/> uses it, in fp32 (<see cref="EncoderGemm"/>) or
/// with TF32 or BF16 inputs on tensor cores (<see cref="TensorCoreGemm"/>).</summary>
internal interface IDenseGemm
{
    /// <summary>ReLU(xc · W_encᵀ + b_enc) into pre, and when <paramref name="maxima"/>, each row's 32-latent panel
    /// maxima as <see cref="TopK.Key"/>s into <paramref name="panelMax"/> (else any valid view, untouched).</summary>
    void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, ArrayView<uint> panelMax, bool maxima,
        int rows, int d, int latents);
}
