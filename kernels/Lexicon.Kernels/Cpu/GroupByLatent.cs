namespace Lexicon.Kernels.Cpu;

/// <summary>Counting sort of selection entries by latent (count, prefix sum, place in entry order): O(entries + latents),
/// stable, so each latent's gradient is later summed in one fixed order.</summary>
public static unsafe class GroupByLatent
{
    public static void Run(int* index, int count, int latents, int* start, int* order)
    {
        new Span<int>(start, latents + 1).Clear();
        for (int e = 0; e < count; e++)
            if (index[e] >= 0) start[index[e] + 1]++;
        for (int m = 0; m < latents; m++) start[m + 1] += start[m];
        var next = new int[latents];
        new ReadOnlySpan<int>(start, latents).CopyTo(next);
        for (int e = 0; e < count; e++)
        {
            int m = index[e];
            if (m >= 0) order[next[m]++] = e;
        }
    }
}
