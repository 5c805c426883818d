using System.Text.Json.Nodes;

namespace Lexicon.Models;

/// <summary>Mean cosines between the clean sentence embedding and those with hidden state L spliced (the
/// reconstruction), zero-ablated and mean-ablated at the replaced tokens, over <see cref="Sequences"/> sequences.</summary>
public sealed record SplicedResult(int Sequences, long ReplacedTokens, double CosSpliced, double CosZeroAblated, double CosMeanAblated)
{
    /// <summary>Where the spliced embedding lies between mean ablation (0) and the clean model (1); NaN when mean
    /// ablation already gives the clean embedding, so there is nothing to recover.</summary>
    public double EmbeddingRecovered => CosMeanAblated == 1 ? double.NaN : (CosSpliced - CosMeanAblated) / (1 - CosMeanAblated);

    public JsonObject ToJson() => new()
    {
        ["sequences"] = Sequences,
        ["replaced_tokens"] = ReplacedTokens,
        ["cos_spliced"] = Number(CosSpliced),
        ["cos_zero_ablated"] = Number(CosZeroAblated),
        ["cos_mean_ablated"] = Number(CosMeanAblated),
        ["embedding_recovered"] = Number(EmbeddingRecovered),
    };

    // JSON has no NaN: a value that is not one is written as null.
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
