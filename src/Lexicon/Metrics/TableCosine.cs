using Lexicon.Model;
using Lexicon.Synthetic;

namespace Lexicon.Metrics;

/// <summary>
/// How well learned tables recovered planted ones (synthetic stores): for the unigram table, the mean cosine between
/// b_dec + T[t] (what the SAE predicts for token t before its latents) and the planted E_l[t], over tokens seen at least
/// minCount times; for the bigram table, the mean cosine between a planted pair's learned entry (the sum of its rows)
/// and its planted direction G_l, over planted pairs seen at least minCount times.
/// </summary>
public static class TableCosine
{
    public static Dictionary<string, double> Compute(TableWeights tables, float[] bDec, GroundTruth truth, int layer, int[] tokens, int[] positions,
        int minCount = 20)
    {
        var result = new Dictionary<string, double>();
        int d = tables.D;
        for (int t = 0; t < tables.Layout.Tables.Count; t++)
        {
            var spec = tables.Layout.Tables[t];
            var values = tables.Table(t).ToArray();
            if (spec.Name == "unigram")
            {
                var counts = new int[spec.Rows];
                foreach (int token in tokens) counts[token]++;
                var planted = truth.TokenTable(layer);
                var cosines = Enumerable.Range(0, Math.Min(spec.Rows, truth.Vocab)).Where(v => counts[v] >= minCount)
                    .Select(v => Vectors.Cosine(Add(values.AsSpan(v * d, d), bDec), planted.AsSpan(v * d, d))).ToArray();
                if (cosines.Length > 0) result[spec.Name] = cosines.Average();
            }
            else if (spec.Name == "bigram")
            {
                var counts = PairCounts(tokens, positions);
                var keys = truth.BigramKeys;
                var planted = truth.BigramTable(layer);
                var cosines = new List<double>();
                for (int p = 0; p < truth.BigramCount; p++)
                {
                    var key = keys.AsSpan(2 * p, 2);
                    if (counts.GetValueOrDefault((key[0], key[1])) < minCount) continue;
                    var rows = new int[2];
                    Kernels.Reference.TableRows.Run(key.ToArray(), 1, 2, 2, spec.Rows, 0, spec.Seed, rows, 2, 0);
                    var entry = new float[d];
                    foreach (int r in rows)
                        for (int i = 0; i < d; i++) entry[i] += values[r * d + i];
                    cosines.Add(Vectors.Cosine(entry, planted.AsSpan(p * d, d)));
                }
                if (cosines.Count > 0) result[spec.Name] = cosines.Average();
            }
        }
        return result;
    }

    private static Dictionary<(int, int), int> PairCounts(int[] tokens, int[] positions)
    {
        var counts = new Dictionary<(int, int), int>();
        for (int i = 1; i < tokens.Length; i++)
            if (positions[i] > 0) counts[(tokens[i - 1], tokens[i])] = counts.GetValueOrDefault((tokens[i - 1], tokens[i])) + 1;
        return counts;
    }

    private static float[] Add(ReadOnlySpan<float> a, float[] b)
    {
        var sum = new float[a.Length];
        for (int i = 0; i < a.Length; i++) sum[i] = a[i] + b[i];
        return sum;
    }
}
