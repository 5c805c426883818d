using Lexicon.Suite;

namespace Lexicon.Features;

/// <summary>Activations of one band of values below a feature's top ones, (From, To] of its maximum, and a few of them.</summary>
public sealed record QuantileBand(float From, float To, long Firings, KeptRow[] Samples);

/// <summary>One latent over a store: how often and how strongly it fires, its strongest rows, a histogram of its
/// activation values (Bins equal bins over (0, Max]), and samples from the bands below its top.</summary>
public sealed record LatentSummary(int Latent, long Firings, double Sum, float Max, KeptRow[] Strongest, long[] Histogram, QuantileBand[] Bands)
{
    public double Mean => Firings == 0 ? 0 : Sum / Firings;
}

/// <summary>How much of each feature the site keeps (the site stays light: a page holds these and no more).</summary>
public sealed record ScanLimits
{
    /// <summary>Strongest rows kept per feature: the top contexts shown are the first <see cref="Top"/>, the top tokens
    /// are counted over all of them.</summary>
    public int Strongest { get; init; } = 50;
    public int Top { get; init; } = 10;
    public int Bins { get; init; } = 24;
    public int Bands { get; init; } = 4;
    public int BandSamples { get; init; } = 3;
    public ulong Seed { get; init; } = 0;
}

/// <summary>
/// Summarises every latent of a source from its codes ([tokens, K], latent or -1, value), in three passes over the codes
/// (which are in memory; the store's activations are not read): counts and maxima; then histograms and the strongest rows
/// (a bounded heap per latent); then, below each latent's top rows, a uniform sample per value band (the rows with the
/// smallest hash of (row, latent): deterministic, no counters). Rows the caller skips (special tokens) count nowhere.
/// </summary>
public static class FeatureScan
{
    public static LatentSummary[] Run(PoolSource source, bool[]? skip, ScanLimits limits)
    {
        int k = source.K, latents = source.Latents;
        long rows = source.CodeIndex.Length / k;
        var firings = new long[latents];
        var sums = new double[latents];
        var max = new float[latents];
        ForEach(source, skip, rows, (row, m, v) => { firings[m]++; sums[m] += v; if (v > max[m]) max[m] = v; });

        var histograms = new long[latents][];
        var strongest = new BoundedTop?[latents];
        for (int m = 0; m < latents; m++)
            if (firings[m] > 0)
            {
                histograms[m] = new long[limits.Bins];
                strongest[m] = new BoundedTop(limits.Strongest);
            }
        ForEach(source, skip, rows, (row, m, v) =>
        {
            histograms[m][Bin(v, max[m], limits.Bins)]++;
            strongest[m]!.Offer(row, v, v);
        });

        var top = new KeptRow[latents][];
        var bandCounts = new long[latents][];
        var samples = new BoundedTop[latents][];
        for (int m = 0; m < latents; m++)
            if (firings[m] > 0)
            {
                top[m] = strongest[m]!.Sorted();
                bandCounts[m] = new long[limits.Bands];
                samples[m] = [.. Enumerable.Range(0, limits.Bands).Select(_ => new BoundedTop(limits.BandSamples))];
            }
        ForEach(source, skip, rows, (row, m, v) =>
        {
            // Only rows below the top ones shown (a latent that fired on no more rows than that has none).
            if (top[m].Length < limits.Top) return;
            var last = top[m][limits.Top - 1];
            if (v > last.Value || (v == last.Value && row <= last.Row)) return;
            int band = Bin(v, max[m], limits.Bands);
            bandCounts[m][band]++;
            samples[m][band].Offer(row, v, Priority(row, m, limits.Seed));
        });

        var result = new LatentSummary[latents];
        for (int m = 0; m < latents; m++)
        {
            if (firings[m] == 0)
            {
                result[m] = new LatentSummary(m, 0, 0, 0, [], [], []);
                continue;
            }
            var bands = Enumerable.Range(0, limits.Bands).Select(b => new QuantileBand(max[m] * b / limits.Bands, max[m] * (b + 1) / limits.Bands,
                bandCounts[m][b], [.. samples[m][b].Sorted().OrderByDescending(s => s.Value).ThenBy(s => s.Row)])).ToArray();
            result[m] = new LatentSummary(m, firings[m], sums[m], max[m], top[m], histograms[m], bands);
        }
        return result;
    }

    /// <summary>Every entry that fired (value above 0) on a row not skipped.</summary>
    private static void ForEach(PoolSource source, bool[]? skip, long rows, Action<long, int, float> visit)
    {
        int k = source.K;
        for (long row = 0; row < rows; row++)
        {
            if (skip is not null && skip[row]) continue;
            for (int j = 0; j < k; j++)
            {
                long e = row * k + j;
                int m = source.CodeIndex[e];
                float v = source.CodeValue[e];
                if (m >= 0 && v > 0) visit(row, m, v);
            }
        }
    }

    /// <summary>Equal bins over (0, max]; the maximum falls in the last.</summary>
    private static int Bin(float value, float max, int bins) => Math.Clamp((int)(value / max * bins), 0, bins - 1);

    /// <summary>A uniform pseudo-random key in [0, 1) for a (row, latent) pair (SplitMix64).</summary>
    private static double Priority(long row, int latent, ulong seed)
    {
        ulong z = (ulong)row * 0x9E3779B97F4A7C15UL ^ ((ulong)latent << 40) ^ seed;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
