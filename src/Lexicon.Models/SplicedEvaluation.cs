namespace Lexicon.Models;

/// <summary>
/// Downstream faithfulness without an LM head: how close the sentence embedding stays (mean over all the sequence's
/// tokens of hidden state 6, L2-normalised, as sentence-transformers uses all-MiniLM-L6-v2) when hidden state L is
/// replaced by a reconstruction, beside the same for zero- and mean-ablation of the replaced tokens.
/// </summary>
public static class SplicedEvaluation
{
    private const int D = MiniLm.DModel;
    private const int Variants = 4;

    /// <summary>Streams <paramref name="sequences"/>, one at a time: its four variants (clean, spliced, zero-ablated,
    /// mean-ablated) run through <paramref name="tail"/> as one batch of four equal-length sequences.</summary>
    /// <param name="mean">The layer's mean activation, 384 values: what mean ablation puts in.</param>
    public static SplicedResult Run(MiniLmTail tail, IEnumerable<SplicedSequence> sequences, ReadOnlySpan<float> mean)
    {
        if (mean.Length != D) throw new ArgumentException($"{mean.Length} values for a mean of {D}", nameof(mean));
        int count = 0;
        long replacedTokens = 0;
        double spliced = 0, zero = 0, meanAblated = 0;
        float[] batch = [], last = [];
        foreach (var sequence in sequences)
        {
            int length = sequence.Length, rows = length * D;
            if (length < 1) throw new ArgumentException($"sequence {count} has no tokens", nameof(sequences));
            if (sequence.Clean.Length != rows || sequence.Spliced.Length != rows)
                throw new ArgumentException($"sequence {count}: {sequence.Clean.Length} clean and {sequence.Spliced.Length} spliced values for {length} tokens × {D}", nameof(sequences));
            int replaced = sequence.Replaced.Count(r => r);
            count++;
            replacedTokens += replaced;
            // Nothing replaced: every variant is the clean model, cosine 1, and running it would only add rounding.
            if (replaced == 0)
            {
                spliced++;
                zero++;
                meanAblated++;
                continue;
            }
            if (batch.Length != Variants * rows)
            {
                batch = new float[Variants * rows];
                last = new float[Variants * rows];
            }
            Fill(batch, sequence, mean, rows);
            tail.Run(batch, Variants, length, last);
            double[] clean = Embedding(last.AsSpan(0, rows), length);
            spliced += Dot(clean, Embedding(last.AsSpan(rows, rows), length));
            zero += Dot(clean, Embedding(last.AsSpan(2 * rows, rows), length));
            meanAblated += Dot(clean, Embedding(last.AsSpan(3 * rows, rows), length));
        }
        return new SplicedResult(count, replacedTokens, spliced / count, zero / count, meanAblated / count);
    }

    /// <summary>The four variants' hidden state L, one after another.</summary>
    private static void Fill(float[] batch, SplicedSequence sequence, ReadOnlySpan<float> mean, int rows)
    {
        sequence.Clean.CopyTo(batch.AsSpan(0, rows));
        sequence.Spliced.CopyTo(batch.AsSpan(rows, rows));
        var zero = batch.AsSpan(2 * rows, rows);
        var meanAblated = batch.AsSpan(3 * rows, rows);
        sequence.Clean.CopyTo(zero);
        sequence.Clean.CopyTo(meanAblated);
        for (int t = 0; t < sequence.Length; t++)
        {
            if (!sequence.Replaced[t]) continue;
            zero.Slice(t * D, D).Clear();
            mean.CopyTo(meanAblated.Slice(t * D, D));
        }
    }

    /// <summary>sentence-transformers' embedding: mean over all the sequence's tokens, L2-normalised, in float64.</summary>
    private static double[] Embedding(ReadOnlySpan<float> states, int length)
    {
        var sum = new double[D];
        for (int t = 0; t < length; t++)
        {
            var row = states.Slice(t * D, D);
            for (int j = 0; j < D; j++) sum[j] += row[j];
        }
        // The mean's 1/length cancels in the normalisation.
        double norm = Math.Sqrt(Dot(sum, sum));
        for (int j = 0; j < D; j++) sum[j] /= norm;
        return sum;
    }

    private static double Dot(double[] a, double[] b)
    {
        double dot = 0;
        for (int j = 0; j < D; j++) dot += a[j] * b[j];
        return dot;
    }
}
