namespace Lexicon.Kernels.Cpu;

/// <summary>The kept variants of the CPU backend's operations; an operation not listed here has one, its own file.</summary>
public static class CpuVariants
{
    public static IReadOnlyList<KernelVariant> Of(string op) => op switch
    {
        nameof(IKernels.EncoderGemm) =>
        [
            new(1, nameof(Gemm1Packed), "all of W_enc packed up front (written to memory and read back), plain stores of pre, work items one by one"),
            new(2, nameof(EncoderGemm), "each ≈512 KB block packed into the L2 of the core that uses it, streaming stores of pre, dynamic work items"),
        ],
        nameof(IKernels.EncodeTopK) =>
        [
            new(1, "EncoderGemm+TopK", "the two steps: top-k first finds each row's panel maxima in a pass over pre"),
            new(2, nameof(EncodeTopK), "the GEMM's epilogue writes the panel maxima, so top-k reads only the panels that can hold a winner"),
        ],
        _ => [new(1, op, "the CPU backend's kernel")],
    };
}
