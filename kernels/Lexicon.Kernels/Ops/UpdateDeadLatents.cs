namespace Lexicon.Kernels.Ops;

/// <summary>Tokens since each latent fired, the dead mask and its count (see <see cref="IKernels.UpdateDeadLatents"/>).</summary>
public static class UpdateDeadLatents
{
    public static void Check(ref View<int> index, ref View<float> value, int rows, int k, int latents,
        ref View<int> sinceFired, ref View<int> dead, ref View<int> deadCount)
    {
        long entries = Sizes.Matrix(rows, k, nameof(rows), nameof(k));
        ArgumentOutOfRangeException.ThrowIfNegative(latents);
        index = index.Need(entries, nameof(index));
        value = value.Need(entries, nameof(value));
        sinceFired = sinceFired.Need(latents, nameof(sinceFired));
        dead = dead.Need(latents, nameof(dead));
        deadCount = deadCount.Need(1, nameof(deadCount));
    }

    /// <summary>A step per entry and per latent; the selection, the counters in and out, the mask.</summary>
    public static OpCost Cost(int rows, int k, int latents) => OpCost.Of((double)rows * k + latents, 2.0 * rows * k + 3.0 * latents);
}
