namespace Lexicon.Kernels.Ops;

/// <summary>Per row, the k largest of pre (see <see cref="IKernels.TopK"/>).</summary>
public static class TopK
{
    public static void Check(ref View<float> pre, int rows, int latents, int k, ref View<int> index, ref View<float> value)
    {
        if (k < 1 || k > latents) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {latents}]");
        pre = pre.Need(Sizes.Matrix(rows, latents, nameof(rows), nameof(latents)), nameof(pre));
        index = index.Need((long)rows * k, nameof(index));
        value = value.Need((long)rows * k, nameof(value));
    }

    /// <summary>B·M compares; pre read once, the selection written.</summary>
    public static OpCost Cost(int rows, int latents, int k) => OpCost.Of((double)rows * latents, (double)rows * latents + 2.0 * rows * k);
}
