namespace Lexicon.Kernels.Gpu;

/// <summary>The kept variants of the ILGPU backend's operations; an operation not listed here has one kernel.</summary>
public static class IlgpuVariants
{
    public static IReadOnlyList<KernelVariant> Of(string op) => op switch
    {
        nameof(IKernels.EncodeTopK) =>
        [
            new(1, "EncoderGemm+TopK", "the GEMM, then a radix select over every latent of each row of pre"),
            new(2, nameof(PanelTopK), "the GEMM's epilogue writes each row's 32-latent panel maxima; top-k reads only the panels that can hold a winner"),
        ],
        _ => [new(1, op, "the ILGPU kernel")],
    };
}
