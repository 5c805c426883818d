namespace Lexicon.Metrics;

/// <summary>Mean max cosine similarity: over planted directions, the best cosine with any learned decoder row, averaged.
/// How well an SAE recovered known features (DESIGN.md §6).</summary>
public static class Mmcs
{
    /// <returns>Per planted direction its best cosine, and their mean.</returns>
    public static (double Mean, double[] Best) Compute(float[] planted, int[] which, float[] decoder, int d)
    {
        int latents = decoder.Length / d;
        var decoderNorms = new double[latents];
        for (int m = 0; m < latents; m++) decoderNorms[m] = Vectors.Norm(decoder.AsSpan(m * d, d));
        var best = new double[which.Length];
        Parallel.For(0, which.Length, f =>
        {
            var p = planted.AsSpan(which[f] * d, d);
            double pNorm = Vectors.Norm(p), top = double.NegativeInfinity;
            for (int m = 0; m < latents; m++)
            {
                double dot = 0;
                var row = decoder.AsSpan(m * d, d);
                for (int i = 0; i < d; i++) dot += (double)p[i] * row[i];
                top = Math.Max(top, dot / Math.Max(1e-30, pNorm * decoderNorms[m]));
            }
            best[f] = top;
        });
        return (best.Length == 0 ? double.NaN : best.Average(), best);
    }
}
