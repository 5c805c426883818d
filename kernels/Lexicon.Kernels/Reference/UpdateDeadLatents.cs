using System.Numerics;

namespace Lexicon.Kernels.Reference;

/// <summary>Tokens since each latent last fired (value &gt; 0), saturating at int.MaxValue; dead where ≥ deadAfter.
/// Generic in the value type because the CPU backend runs this same code on its fp32 buffers: the rule is B·k + M scalar
/// steps per batch, with nothing for a faster variant to win.</summary>
public static class UpdateDeadLatents
{
    public static int Run<T>(ReadOnlySpan<int> index, ReadOnlySpan<T> value, int rows, int k, int latents, Span<int> sinceFired,
        int deadAfter, Span<int> dead) where T : INumber<T>
    {
        var fired = new bool[latents];
        for (int e = 0; e < rows * k; e++)
            if (index[e] >= 0 && value[e] > T.Zero) fired[index[e]] = true;
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
