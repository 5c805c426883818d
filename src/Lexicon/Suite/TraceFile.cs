using System.Text.Json.Serialization;

namespace Lexicon.Suite;

/// <summary>trace.json (and trace_matching.json, which adds the method, its threshold and the links): every traced
/// feature, and with ground truth how well the planted ones were recovered (null where nothing was there to measure).</summary>
public sealed record TraceFile(int[] Layers, IReadOnlyList<TraceFeature> Features, double? TraceCosine, double? DeathLayerAccuracy, int? RecoveredAtBirth,
    int? PlantedFeatures, int? FadingRecovered, double? ChainPrecision, int? ChainsOnPlanted)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Method { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? MatchThreshold { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<MatchingLink>? Links { get; init; }
}

/// <summary>One traced feature (trace --feature --json prints one).</summary>
public sealed record TraceFeature(string Id, string Source, int Latent, int BirthLayer, int? DeathLayer, long FiringsAtBirth, IReadOnlyList<TraceStep> Trajectory)
{
    public static TraceFeature Of(FeatureTrace t) =>
        new(t.Id, t.Source, t.Latent, t.BirthLayer, t.DeathLayer, t.Firings, [.. t.Points.Select(TraceStep.Of)]);
}

/// <summary>A feature at one layer; its latent only where that changes from layer to layer (a chain of the matching baseline).</summary>
public sealed record TraceStep(int Layer, double Norm, double CosBirth, double? CosPrevious, double Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Latent)
{
    public static TraceStep Of(TracePoint p) => new(p.Layer, p.Norm, p.CosineToBirth, p.CosineToPrevious, p.Share, p.Latent);
}
