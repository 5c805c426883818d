using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>Tokens since each latent last fired, the dead mask and the dead count, from one batch's selection.</summary>
public static unsafe class UpdateDeadLatents
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Run(int* index, float* value, int rows, int k, int latents, int* sinceFired, int deadAfter, int* dead)
    {
        var fired = new bool[latents];
        long entries = (long)rows * k;
        for (long e = 0; e < entries; e++)
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
