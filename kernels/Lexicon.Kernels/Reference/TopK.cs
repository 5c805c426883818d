namespace Lexicon.Kernels.Reference;

/// <summary>Per row, the k largest values in descending order; equal values keep the lower latent first.</summary>
public static class TopK
{
    public static void Run(double[] pre, int rows, int latents, int k, int[] index, double[] value) =>
        Select(pre, null, rows, latents, k, index, value);

    /// <summary>The selection itself: only latents with mask[m] ≠ 0 compete (all, without a mask); slots left over get
    /// index -1 and value 0.</summary>
    internal static void Select(double[] pre, int[]? mask, int rows, int latents, int k, int[] index, double[] value)
    {
        for (int b = 0; b < rows; b++)
        {
            var candidates = Enumerable.Range(0, latents)
                .Where(m => mask is null || mask[m] != 0)
                .OrderByDescending(m => pre[b * latents + m])
                .ThenBy(m => m)
                .Take(k)
                .ToArray();
            for (int j = 0; j < k; j++)
            {
                bool filled = j < candidates.Length;
                index[b * k + j] = filled ? candidates[j] : -1;
                value[b * k + j] = filled ? pre[b * latents + candidates[j]] : 0;
            }
        }
    }
}
