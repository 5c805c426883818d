namespace Lexicon.Suite;

/// <summary>A pooled feature at one layer: its decoder norm, cosine to its birth direction and to the layer before,
/// and its share of the layer's variance; <paramref name="Latent"/> the latent it is at that layer where that changes from layer
/// to layer (a chain of the matching baseline), null in the suite (one identity throughout).</summary>
public readonly record struct TracePoint(int Layer, double Norm, double CosineToBirth, double? CosineToPrevious, double Share, int? Latent = null);

/// <summary>One pooled feature's life through the suite: born at a layer, traced at every later one, pruned (death) or not.</summary>
public sealed record FeatureTrace(string Source, int Latent, int BirthLayer, int? DeathLayer, long Firings, IReadOnlyList<TracePoint> Points)
{
    public string Id => $"{Source}:{Latent}";

    /// <summary>The largest share of variance the feature explained at any layer.</summary>
    public double PeakShare => Points.Count == 0 ? 0 : Points.Max(p => p.Share);

    /// <summary>Its decoder direction at a layer, looked up by the tracer (birth decoder at the birth layer).</summary>
    internal Dictionary<int, float[]> Directions { get; } = [];
}
