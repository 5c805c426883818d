using System.Text.Json.Serialization;
using Lexicon.Metrics;
using Lexicon.Suite;

namespace Lexicon.Cli.Commands.Results;

/// <summary>eval --sae --json: one checkpoint measured on a store; spliced cosines with --spliced, MMCS and (with tables)
/// table cosines with ground truth.</summary>
public sealed record SaeEvalResult(int Layer, string Split, bool InSample, long Tokens, double Nmse, double Fvu, double ExplainedVariance, double L0,
    double DeadFraction, VarianceShare VarianceShare)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SplicedMetrics? Spliced { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Mmcs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? PlantedFeatures { get; init; }

    /// <summary>By table name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, double>? TableCosine { get; init; }
}

/// <summary>eval --suite --json: every finished layer of a suite, measured on the same rows.</summary>
public sealed record SuiteEvalResult(string Suite, string Data, string Split, bool InSample, int Tokens, IReadOnlyList<SuiteLayerMetrics> Layers);
