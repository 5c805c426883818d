namespace Lexicon.Kernels.Reference;

/// <summary>Tokens since each latent last fired (value &gt; 0), saturating at int.MaxValue; dead where ≥ deadAfter.</summary>
public static class UpdateDeadLatents
{
    public static int Run(int[] index, double[] value, int rows, int k, int latents, int[] sinceFired, int deadAfter, int[] dead)
    {
        var fired = new bool[latents];
        for (int e = 0; e < rows * k; e++)
            if (index[e] >= 0 && value[e] > 0) fired[index[e]] = true;
        int count = 0;
        for (int m = 0; m < latents; m++)
        {
            sinceFired[m] = fired[m] ? 0 : (int)Math.Min((long)sinceFired[m] + rows, int.MaxValue);
            dead[m] = sinceFired[m] >= deadAfter ? 1 : 0;
            count += dead[m];
        }
        return count;
    }
}
