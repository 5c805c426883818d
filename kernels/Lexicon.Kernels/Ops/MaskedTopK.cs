namespace Lexicon.Kernels.Ops;

/// <summary>Per row, the k largest of pre over the masked latents (see <see cref="IKernels.MaskedTopK"/>).</summary>
public static class MaskedTopK
{
    public static void Check(ref View<float> pre, ref View<int> mask, int rows, int latents, int k, ref View<int> index, ref View<float> value)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be at least 1");
        pre = pre.Need(Sizes.Matrix(rows, latents, nameof(rows), nameof(latents)), nameof(pre));
        mask = mask.Need(latents, nameof(mask));
        index = index.Need((long)rows * k, nameof(index));
        value = value.Need((long)rows * k, nameof(value));
    }

    /// <summary>As <see cref="TopK.Cost"/>: every latent's mask is looked at, pre read at most once.</summary>
    public static OpCost Cost(int rows, int latents, int k) => TopK.Cost(rows, latents, k);
}
