using System.Text.Json.Serialization;
using Lexicon.Metrics;

namespace Lexicon.Suite;

/// <summary>A suite layer's measurements as eval --suite --json and the report give them; with eval --spliced its spliced
/// cosines, with --compare-independent the independent SAE's own measurements.</summary>
public sealed record SuiteLayerMetrics(int Layer, double Nmse, double Fvu, double L0, VarianceShare VarianceShare, int LiveLatents, int SignalLatents)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SplicedMetrics? Spliced { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SuiteLayerMetrics? Independent { get; init; }
}
