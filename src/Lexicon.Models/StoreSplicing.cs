using Lexicon.Data;

namespace Lexicon.Models;

/// <summary>
/// Spliced evaluation on a store of all-MiniLM-L6-v2's hidden states: every sequence that holds a measured row is read
/// whole from the store at hidden state L (its clean rows), the measured rows get their reconstruction, the other rows
/// ([CLS], [SEP] when left out of training; rows past --tokens) stay clean, and the rest of the model runs from there
/// (<see cref="SplicedEvaluation"/>). Mean ablation puts in the measured rows' mean.
/// </summary>
public static class StoreSplicing
{
    /// <summary>Throws unless the store holds MiniLM hidden states, where a spliced run means something.</summary>
    public static void RequireModel(ActivationStore store)
    {
        if (store.Manifest.Model != MiniLm.ModelName || store.D != MiniLm.DModel)
            throw new BadInputException(Path.Combine(store.Directory, StoreManifest.FileName),
                $"--spliced needs a store of {MiniLm.ModelName}'s hidden states (this one is of '{store.Manifest.Model}')");
    }

    /// <param name="rows">The measured rows, ascending.</param>
    /// <param name="reconstruction">Their reconstructions, [rows, 384] in the same order.</param>
    /// <param name="maxSequences">The first this many sequences of the measured rows are spliced (the tail runs four times
    /// per sequence: clean, spliced and two ablations).</param>
    public static SplicedResult Run(ActivationStore store, int layer, long[] rows, float[] reconstruction, int maxSequences = int.MaxValue,
        int threads = 0)
    {
        RequireModel(store);
        const int d = MiniLm.DModel;
        var mean = new double[d];
        var row = new float[d];
        foreach (long r in rows)
        {
            store.ReadRows(layer, r, 1, row);
            for (int i = 0; i < d; i++) mean[i] += row[i];
        }
        var meanRow = mean.Select(m => (float)(m / Math.Max(1, rows.Length))).ToArray();
        using var tail = new MiniLmTail(layer, threads);
        return SplicedEvaluation.Run(tail, Sequences(store, layer, rows, reconstruction).Take(maxSequences), meanRow);
    }

    private static IEnumerable<SplicedSequence> Sequences(ActivationStore store, int layer, long[] rows, float[] reconstruction)
    {
        const int d = MiniLm.DModel;
        int next = 0;
        while (next < rows.Length)
        {
            long start = rows[next] - store.Positions[rows[next]];
            long end = start + 1;
            while (end < store.TokenCount && store.Positions[end] != 0) end++;
            int length = (int)(end - start);
            var clean = new float[length * d];
            store.ReadRows(layer, start, length, clean);
            var spliced = (float[])clean.Clone();
            var replaced = new bool[length];
            for (; next < rows.Length && rows[next] < end; next++)
            {
                int t = (int)(rows[next] - start);
                replaced[t] = true;
                reconstruction.AsSpan(next * d, d).CopyTo(spliced.AsSpan(t * d, d));
            }
            yield return new SplicedSequence(clean, spliced, replaced);
        }
    }
}
