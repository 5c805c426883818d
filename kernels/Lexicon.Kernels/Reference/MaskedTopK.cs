namespace Lexicon.Kernels.Reference;

/// <summary>Per row, the k largest values among latents with mask[m] ≠ 0, as <see cref="TopK"/> orders them; slots
/// left over get index -1 and value 0.</summary>
public static class MaskedTopK
{
    public static void Run(double[] pre, int[] mask, int rows, int latents, int k, int[] index, double[] value) =>
        TopK.Select(pre, mask, rows, latents, k, index, value);
}
