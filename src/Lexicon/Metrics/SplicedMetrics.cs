namespace Lexicon.Metrics;

/// <summary>A spliced evaluation as JSON gives it (Lexicon.Models' SplicedResult): mean cosines to the clean sentence
/// embedding, null where a value is not a number (JSON has no NaN).</summary>
public sealed record SplicedMetrics(int Sequences, long ReplacedTokens, double? CosSpliced, double? CosZeroAblated, double? CosMeanAblated,
    double? EmbeddingRecovered);
