using Lexicon.Suite;

namespace Lexicon.Features;

/// <summary>A row of the store with the tokens around it (within its sequence) and one feature's activation on each.</summary>
/// <param name="First">The store row of the first token shown; the row itself is at index Row − First.</param>
public sealed record Context(long Row, float Value, long First, int[] Tokens, float[] Activations);

/// <summary>Cuts contexts out of a store's token stream: up to <c>radius</c> tokens either side of a row, never across a
/// sequence start (position 0).</summary>
public sealed class Contexts(int[] tokens, int[] positions, int radius)
{
    public int Radius => radius;

    public Context Of(PoolSource source, int latent, KeptRow kept)
    {
        long row = kept.Row;
        long first = Math.Max(row - positions[row], row - radius);
        long last = row;
        while (last + 1 < tokens.Length && last + 1 - row <= radius && positions[last + 1] != 0) last++;
        int n = (int)(last - first + 1);
        var ids = new int[n];
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = tokens[first + i];
            values[i] = ActivationAt(source, latent, first + i);
        }
        return new Context(row, kept.Value, first, ids, values);
    }

    /// <summary>The latent's activation on a row: its entry in the row's code, 0 where it did not fire.</summary>
    public static float ActivationAt(PoolSource source, int latent, long row)
    {
        for (int j = 0; j < source.K; j++)
        {
            long e = row * source.K + j;
            if (source.CodeIndex[e] == latent && source.CodeValue[e] > 0) return source.CodeValue[e];
        }
        return 0;
    }
}
