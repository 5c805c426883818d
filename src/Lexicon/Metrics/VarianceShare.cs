using System.Text.Json.Serialization;

namespace Lexicon.Metrics;

/// <summary>The share of the variance each part of the reconstruction explains: tables and own latents, and in a suite
/// the enriched codes and pooled features of earlier layers between them.</summary>
public sealed record VarianceShare(
    double Tables,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Enriched,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Pool,
    double Own);
