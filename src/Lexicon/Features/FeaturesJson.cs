using System.Text.Json;

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

    public static void Write(string path, SiteInput input, CollectedFeatures collected)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        var vocabulary = input.Vocabulary;
        json.WriteStartObject();
        json.WriteString("format", Output.OutputKind.FeatureSite.Format);
        json.WriteString("title", input.Title);
        json.WriteString("store", input.StorePath);
        json.WriteString("model", input.Model);
        json.WriteString("token_text", vocabulary.Kind);
        json.WriteNumber("rows", collected.Rows);
        json.WriteNumber("context_radius", input.Radius);
        json.WriteStartArray("features");
        foreach (var f in collected.Live)
        {
            var s = f.Summary;
            json.WriteStartObject();
            json.WriteString("id", f.Id);
            json.WriteString("source", f.Source);
            json.WriteNumber("latent", f.Latent);
            json.WriteString("page", f.Page);
            json.WriteNumber("birth_layer", f.BirthLayer);
            if (f.DeathLayer is { } death) json.WriteNumber("death_layer", death);
            else json.WriteNull("death_layer");
            json.WriteNumber("firings", s.Firings);
            json.WriteNumber("density", f.Density(collected.Rows));
            json.WriteNumber("log10_density", Math.Log10(f.Density(collected.Rows)));
            json.WriteNumber("max", s.Max);
            json.WriteNumber("mean", s.Mean);
            json.WriteStartArray("top_tokens");
            foreach (int id in f.TopTokens) Token(json, id, vocabulary);
            json.WriteEndArray();
            json.WriteStartArray("top");
            foreach (var c in f.Top)
            {
                json.WriteStartObject();
                json.WriteNumber("row", c.Row);
                json.WriteNumber("value", c.Value);
                json.WriteString("token", vocabulary.Alone(c.Tokens[c.Row - c.First]));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("bands");
            foreach (var b in f.Bands)
            {
                json.WriteStartObject();
                json.WriteNumber("from", b.Band.From);
                json.WriteNumber("to", b.Band.To);
                json.WriteNumber("firings", b.Band.Firings);
                json.WriteStartArray("samples");
                foreach (var c in b.Samples)
                {
                    json.WriteStartObject();
                    json.WriteNumber("row", c.Row);
                    json.WriteNumber("value", c.Value);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("histogram");
            json.WriteNumber("from", 0);
            json.WriteNumber("to", s.Max);
            json.WriteStartArray("counts");
            foreach (long count in s.Histogram) json.WriteNumberValue(count);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("nearest_tokens");
            json.WriteString("basis", f.Basis.Kind);
            json.WriteString("description", f.Basis.Description);
            json.WriteStartArray("tokens");
            foreach (var near in f.Nearest)
            {
                json.WriteStartObject();
                json.WriteNumber("id", near.Token);
                json.WriteString("text", vocabulary.Alone(near.Token));
                json.WriteNumber("cosine", near.Cosine);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WritePropertyName("trajectory");
            if (f.Trace is null) json.WriteNullValue();
            else
            {
                json.WriteStartArray();
                foreach (var p in f.Trace.Points)
                {
                    json.WriteStartObject();
                    json.WriteNumber("layer", p.Layer);
                    json.WriteNumber("norm", p.Norm);
                    json.WriteNumber("cos_birth", p.CosineToBirth);
                    if (p.CosineToPrevious is { } previous) json.WriteNumber("cos_previous", previous);
                    else json.WriteNull("cos_previous");
                    json.WriteNumber("share", p.Share);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("dead");
        foreach (string id in collected.Dead) json.WriteStringValue(id);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Token(Utf8JsonWriter json, int id, TokenVocabulary vocabulary)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString("text", vocabulary.Alone(id));
        json.WriteEndObject();
    }
}
