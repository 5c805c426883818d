namespace Lexicon.Kernels.Reference;

/// <summary>Entries of a selection grouped by latent: order[start[m] .. start[m+1]) are the entry ids of latent m,
/// ascending; empty slots (index -1) are left out.</summary>
public static class GroupByLatent
{
    public static void Run(int[] index, int count, int latents, int[] start, int[] order)
    {
        int next = 0;
        for (int m = 0; m < latents; m++)
        {
            start[m] = next;
            for (int e = 0; e < count; e++)
                if (index[e] == m) order[next++] = e;
        }
        start[latents] = next;
    }
}
