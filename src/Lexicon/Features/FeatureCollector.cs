using Lexicon.Suite;

namespace Lexicon.Features;

/// <summary>What the site is built from: the store's tokens, how they read, the feature families and (a suite) the trace.</summary>
public sealed record SiteInput(string Title, string StorePath, string? Model, int[] Tokens, int[] Positions, int[] SpecialTokens,
    TokenVocabulary Vocabulary, IReadOnlyList<FeatureFamily> Families, SuiteTrace? Trace)
{
    public ScanLimits Limits { get; init; } = new();
    public int Radius { get; init; } = 10;
    public int NearestCount { get; init; } = 8;
    public int TopTokenCount { get; init; } = 5;
}

/// <summary>The features that fired (with all their page shows) and the ids of those that never did.</summary>
public sealed record CollectedFeatures(IReadOnlyList<SiteFeature> Live, IReadOnlyList<string> Dead, long Rows);

/// <summary>
/// Turns each family's codes into site features: one scan of the codes per family (<see cref="FeatureScan"/>), the
/// contexts of the rows kept, the most frequent tokens among a feature's strongest rows, and its nearest tokens.
/// </summary>
public static class FeatureCollector
{
    public static CollectedFeatures Run(SiteInput input)
    {
        var skip = SkippedRows(input.Tokens, input.SpecialTokens);
        long rows = input.Tokens.LongLength - (skip?.LongCount(s => s) ?? 0);
        var contexts = new Contexts(input.Tokens, input.Positions, input.Radius);
        var frequency = new long[input.Tokens.Length == 0 ? 0 : input.Tokens.Max() + 1];
        for (long row = 0; row < input.Tokens.Length; row++)
            if (skip is null || !skip[row]) frequency[input.Tokens[row]]++;
        var traces = input.Trace?.Features.ToDictionary(f => f.Id) ?? [];
        var live = new List<SiteFeature>();
        var dead = new List<string>();
        foreach (var family in input.Families)
        {
            var source = family.Codes;
            var summaries = FeatureScan.Run(source, skip, input.Limits);
            var nearest = NearestTokens.Of(source.BirthDecoder, source.Latents, family.Basis, [.. summaries.Select(s => s.Firings > 0)], input.NearestCount);
            foreach (var s in summaries)
            {
                string id = FeatureReadout.Id(source.Name, s.Latent);
                if (s.Firings == 0)
                {
                    dead.Add(id);
                    continue;
                }
                var top = s.Strongest.Take(input.Limits.Top).Select(k => contexts.Of(source, s.Latent, k)).ToArray();
                var bands = s.Bands.Select(b => new BandContexts(b, [.. b.Samples.Select(k => contexts.Of(source, s.Latent, k))])).ToArray();
                int? death = source.Death[s.Latent] >= 0 ? source.Death[s.Latent] : null;
                live.Add(new SiteFeature(source.Name, s.Latent, source.BirthLayer, death, s, top, bands, TopTokens(s, input.Tokens, frequency, rows, input.TopTokenCount),
                    nearest[s.Latent], family.Basis, traces.GetValueOrDefault(id)));
            }
        }
        return new CollectedFeatures(live, dead, rows);
    }

    /// <summary>The rows the site leaves out: special tokens ([CLS], [SEP]), which training leaves out too (an SAE's codes
    /// there are out of its distribution and would crowd every top list); null when there are none.</summary>
    public static bool[]? SkippedRows(int[] tokens, int[] specialTokens)
    {
        var special = new HashSet<int>(specialTokens);
        return special.Count == 0 ? null : Array.ConvertAll(tokens, special.Contains);
    }

    /// <summary>The tokens a feature fires on most among its strongest rows: those more common there than in the store
    /// (else "the" would head every list), by how many of those rows they are, then by the strongest activation on each;
    /// all of them in that order when none is over-represented.</summary>
    private static int[] TopTokens(LatentSummary summary, int[] tokens, long[] frequency, long rows, int count)
    {
        var groups = summary.Strongest.Select((k, rank) => (Token: tokens[k.Row], Rank: rank))
            .GroupBy(x => x.Token)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(x => x.Rank))
            .ToList();
        int kept = summary.Strongest.Length;
        var over = groups.Where(g => (double)g.Count() / kept > (double)frequency[g.Key] / rows).ToList();
        return [.. (over.Count > 0 ? over : groups).Take(count).Select(g => g.Key)];
    }
}
