using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Metrics;

namespace Lexicon.Models;

/// <summary>Mean cosines between the clean sentence embedding and those with hidden state L spliced (the
/// reconstruction), zero-ablated and mean-ablated at the replaced tokens, over <see cref="Sequences"/> sequences.</summary>
public sealed record SplicedResult(int Sequences, long ReplacedTokens, double CosSpliced, double CosZeroAblated, double CosMeanAblated)
{
    /// <summary>Where the spliced embedding lies between mean ablation (0) and the clean model (1); NaN when mean
    /// ablation already gives the clean embedding, so there is nothing to recover.</summary>
    public double EmbeddingRecovered => CosMeanAblated == 1 ? double.NaN : (CosSpliced - CosMeanAblated) / (1 - CosMeanAblated);

    public SplicedMetrics Metrics => new(Sequences, ReplacedTokens, Number(CosSpliced), Number(CosZeroAblated), Number(CosMeanAblated),
        Number(EmbeddingRecovered));

    public JsonObject ToJson() => JsonFiles.ToNode(Metrics).AsObject();

    // JSON has no NaN: a value that is not one is written as null.
    private static double? Number(double value) => double.IsFinite(value) ? value : null;
}
