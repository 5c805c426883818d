using Lexicon.Data;
using Lexicon.Model;

namespace Lexicon.Features;

/// <summary>
/// One vector per token at a layer, to name the tokens nearest a feature's decoder direction: a tokenized SAE's unigram
/// table rows, or (an SAE without one) each token's mean activation at that layer over the store, less the mean of all
/// tokens (what every token shares would otherwise dominate the cosine). Only tokens the store holds at least
/// <see cref="MinCount"/> times are candidates: a rarer token's table row or mean is mostly its few contexts, and such
/// noisy rows would head every list.
/// </summary>
public sealed record TokenBasis(string Kind, string Description, int D, float[] Rows, int[] Candidates)
{
    public const int MinCount = 5;

    /// <summary>The unigram table ({0}) of a checkpoint's tables, or null where it has none.</summary>
    public static TokenBasis? FromTable(TableWeights? tables, int layer, int[] tokens, bool[]? skip)
    {
        if (tables is null) return null;
        for (int t = 0; t < tables.Layout.Tables.Count; t++)
        {
            var spec = tables.Layout.Tables[t];
            if (spec.Offsets is not [0]) continue;
            var counts = Counts(tokens, skip, spec.Rows);
            return new TokenBasis("unigram_table", $"the unigram table's rows at layer {layer} (cosine)", tables.D, tables.Table(t).ToArray(),
                [.. Enumerable.Range(0, spec.Rows).Where(id => counts[id] >= MinCount)]);
        }
        return null;
    }

    /// <summary>Each token's mean activation at the layer, less the mean of all rows: one pass over the layer's rows.</summary>
    public static TokenBasis Means(ActivationStore store, int layer, bool[]? skip)
    {
        int d = store.D, vocab = store.Manifest.VocabSize;
        var sums = new double[(long)vocab * d];
        var all = new double[d];
        const int chunk = 4096;
        var buffer = new float[chunk * d];
        long counted = 0;
        for (long first = 0; first < store.TokenCount; first += chunk)
        {
            int n = (int)Math.Min(chunk, store.TokenCount - first);
            store.ReadRows(layer, first, n, buffer);
            for (int i = 0; i < n; i++)
            {
                long row = first + i;
                if (skip is not null && skip[row]) continue;
                long offset = (long)store.Tokens[row] * d;
                for (int c = 0; c < d; c++)
                {
                    double x = buffer[i * d + c];
                    sums[offset + c] += x;
                    all[c] += x;
                }
                counted++;
            }
        }
        var counts = Counts(store.Tokens, skip, vocab);
        var rows = new float[(long)vocab * d];
        for (int id = 0; id < vocab; id++)
            if (counts[id] > 0)
                for (int c = 0; c < d; c++) rows[(long)id * d + c] = (float)(sums[(long)id * d + c] / counts[id] - all[c] / Math.Max(1, counted));
        return new TokenBasis("token_mean", $"each token's mean activation at layer {layer} on this store, less the mean of all tokens (cosine)", d, rows,
            [.. Enumerable.Range(0, vocab).Where(id => counts[id] >= MinCount)]);
    }

    private static long[] Counts(int[] tokens, bool[]? skip, int vocab)
    {
        var counts = new long[vocab];
        for (long row = 0; row < tokens.Length; row++)
            if ((skip is null || !skip[row]) && (uint)tokens[row] < (uint)vocab) counts[tokens[row]]++;
        return counts;
    }
}
