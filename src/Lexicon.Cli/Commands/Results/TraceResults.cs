using System.Text.Json.Serialization;

namespace Lexicon.Cli.Commands.Results;

/// <summary>trace --json: where trace.json and trace.png are, how many features were traced and died, and with ground
/// truth how well the planted ones were recovered; with --baseline matching, the baseline's own summary.</summary>
public sealed record TraceResult(string TraceJson, string TracePng, int Features, int Died, double? TraceCosine, double? DeathLayerAccuracy,
    double? ChainPrecision, int? RecoveredAtBirth, int? PlantedFeatures, int? FadingRecovered)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MatchingResult? Baseline { get; init; }
}

/// <summary>The matching baseline's summary (trace_matching.json holds the chains).</summary>
public sealed record MatchingResult(string Method, string TraceJson, double MatchThreshold, int Chains, int Died, double? TraceCosine,
    double? DeathLayerAccuracy, double? ChainPrecision, int? RecoveredAtBirth, int? PlantedFeatures, int? FadingRecovered);
