using System.Text.Json;
using System.Text.Json.Serialization;
using Lexicon.Checkpoints;

namespace Lexicon.Features;

/// <summary>
/// features.json, the site's data in one file (README, "The feature site", has its schema): every feature that fired with
/// its numbers, strongest rows and the samples below them (store rows and values, as the codes hold them), its histogram,
/// nearest tokens and trajectory, then the ids of those that never fired. Bounded per feature by <see cref="ScanLimits"/>,
/// so its size grows with the number of features only (the directory is marked as a feature site by site.json).
/// </summary>
public static class FeaturesJson
{
    public const string FileName = "features.json";

    /// <summary>The records' own snake_case policy, compact: the file grows with the number of features.</summary>
    private static readonly JsonSerializerOptions Compact = new(JsonFiles.Options) { WriteIndented = false };

    public static void Write(string path, SiteInput input, CollectedFeatures collected)
    {
        var vocabulary = input.Vocabulary;
        var file = new FeaturesFile(Output.OutputKind.FeatureSite.Format, input.Title, input.StorePath, input.Model, vocabulary.Kind,
            collected.Rows, input.Radius, [.. collected.Live.Select(f => Feature(f, collected.Rows, vocabulary))], [.. collected.Dead]);
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, file, Compact);
    }

    private static FeatureRecord Feature(SiteFeature f, long rows, TokenVocabulary vocabulary)
    {
        var s = f.Summary;
        return new FeatureRecord(f.Id, f.Source, f.Latent, f.Page, f.BirthLayer, f.DeathLayer, s.Firings, f.Density(rows),
            Math.Log10(f.Density(rows)), s.Max, s.Mean,
            [.. f.TopTokens.Select(id => new TokenRecord(id, vocabulary.Alone(id)))],
            [.. f.Top.Select(c => new TopRow(c.Row, c.Value, vocabulary.Alone(c.Tokens[c.Row - c.First])))],
            [.. f.Bands.Select(b => new BandRecord(b.Band.From, b.Band.To, b.Band.Firings, [.. b.Samples.Select(c => new SampleRow(c.Row, c.Value))]))],
            new HistogramRecord(0, s.Max, s.Histogram),
            new NearestRecord(f.Basis.Kind, f.Basis.Description, [.. f.Nearest.Select(n => new NearRecord(n.Token, vocabulary.Alone(n.Token), n.Cosine))]),
            f.Trace is null ? null : [.. f.Trace.Points.Select(p => new TrajectoryPoint(p.Layer, p.Norm, p.CosineToBirth, p.CosineToPrevious, p.Share))]);
    }

    private sealed record FeaturesFile(string Format, string Title, string Store, string? Model, string TokenText, long Rows, int ContextRadius,
        FeatureRecord[] Features, string[] Dead);

    private sealed record FeatureRecord(string Id, string Source, int Latent, string Page, int BirthLayer, int? DeathLayer, long Firings,
        double Density, [property: JsonPropertyName("log10_density")] double Log10Density, float Max, double Mean, TokenRecord[] TopTokens,
        TopRow[] Top, BandRecord[] Bands, HistogramRecord Histogram, NearestRecord NearestTokens, TrajectoryPoint[]? Trajectory);

    private sealed record TokenRecord(int Id, string Text);
    private sealed record TopRow(long Row, float Value, string Token);
    private sealed record SampleRow(long Row, float Value);
    private sealed record BandRecord(float From, float To, long Firings, SampleRow[] Samples);
    private sealed record HistogramRecord(float From, float To, long[] Counts);
    private sealed record NearRecord(int Id, string Text, float Cosine);
    private sealed record NearestRecord(string Basis, string Description, NearRecord[] Tokens);

    private sealed record TrajectoryPoint(int Layer, double Norm, [property: JsonPropertyName("cos_birth")] double CosineToBirth,
        [property: JsonPropertyName("cos_previous")] double? CosineToPrevious, double Share);
}
