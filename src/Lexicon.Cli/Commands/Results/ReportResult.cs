using System.Text.Json.Serialization;
using Lexicon.Metrics;

namespace Lexicon.Cli.Commands.Results;

/// <summary>report --json, and report.json (which leads with its format): the page, the held-out rows everything was
/// measured on, the feature site, and per layer the three models.</summary>
public sealed record ReportResult([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Format, string Report, string Split,
    long HeldoutTokens, string Features, IReadOnlyList<ReportLayer> Layers);

public sealed record ReportLayer(int Layer, ReportModel Plain, ReportModel Tokenized, ReportModel Suite)
{
    /// <summary>Plain, tokenized, suite: the order of every table's columns.</summary>
    [JsonIgnore] public IReadOnlyList<ReportModel> Models => [Plain, Tokenized, Suite];
}

/// <summary>One model at one layer (<see cref="LayerMeasure"/>); the suite's with its variance shares.</summary>
public sealed record ReportModel(double Fvu, double Nmse, double? EmbeddingRecovered, double L0, double DeadFraction, int LiveLatents, double InSampleFvu,
    double InSampleNmse, SplicedMetrics? Spliced)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public VarianceShare? VarianceShare { get; init; }
}
