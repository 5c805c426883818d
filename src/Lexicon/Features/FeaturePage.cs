using System.Text.Json;

namespace Lexicon.Features;

/// <summary>
/// One feature's page (f/SOURCE-LATENT.html): the header with its label, and as data for site.js its numbers, top
/// contexts and the samples below them (each token's text and the feature's activation there), its activation histogram,
/// nearest tokens (and which basis), and a pooled feature's trajectory. A pooled feature's activation is computed once,
/// at birth, so at a later layer it fires on the same rows with the same value; what changes is its decoder row there,
/// whose norm scales what it adds (the page shows its top contexts at each later layer by that contribution).
/// </summary>
public static class FeaturePage
{
    public static void Write(string path, SiteFeature f, SiteInput input, CollectedFeatures collected)
    {
        var vocabulary = input.Vocabulary;
        string label = PageShell.Label(f, vocabulary);
        string body = $"<p class=\"nav\"><a href=\"../index.html\">← all features</a></p>\n<h1>{PageShell.Escape(f.Id)} " +
            $"<span class=\"tokens\">{PageShell.Escape(PageShell.TopTokens(f, vocabulary, 5))}</span></h1>";
        PageShell.Write(path, $"{label} — features", "../", "feature", body, json =>
        {
            var s = f.Summary;
            json.WriteStartObject();
            json.WriteString("id", f.Id);
            json.WriteString("label", label);
            json.WriteNumber("birth", f.BirthLayer);
            if (f.DeathLayer is { } death) json.WriteNumber("death", death);
            else json.WriteNull("death");
            json.WriteNumber("firings", s.Firings);
            json.WriteNumber("rows", collected.Rows);
            json.WriteNumber("density", f.Density(collected.Rows));
            json.WriteNumber("max", s.Max);
            json.WriteNumber("mean", PageShell.Round(s.Mean));
            json.WriteString("tokenText", vocabulary.Kind);
            json.WriteStartArray("topTokens");
            foreach (int id in f.TopTokens) json.WriteStringValue(vocabulary.Alone(id));
            json.WriteEndArray();
            json.WriteStartArray("top");
            foreach (var c in f.Top) Context(json, c, vocabulary);
            json.WriteEndArray();
            json.WriteStartArray("bands");
            foreach (var b in f.Bands)
            {
                json.WriteStartObject();
                json.WriteNumber("from", PageShell.Round(b.Band.From));
                json.WriteNumber("to", PageShell.Round(b.Band.To));
                json.WriteNumber("firings", b.Band.Firings);
                json.WriteStartArray("samples");
                foreach (var c in b.Samples) Context(json, c, vocabulary);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("histogram");
            foreach (long count in s.Histogram) json.WriteNumberValue(count);
            json.WriteEndArray();
            json.WriteString("basis", f.Basis.Description);
            json.WriteStartArray("nearest");
            foreach (var near in f.Nearest)
            {
                json.WriteStartArray();
                json.WriteStringValue(vocabulary.Alone(near.Token));
                json.WriteNumberValue(PageShell.Round(near.Cosine));
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("trajectory");
            foreach (var p in f.Trace?.Points ?? [])
            {
                json.WriteStartObject();
                json.WriteNumber("layer", p.Layer);
                json.WriteNumber("norm", PageShell.Round(p.Norm));
                json.WriteNumber("cosBirth", PageShell.Round(p.CosineToBirth));
                if (p.CosineToPrevious is { } previous) json.WriteNumber("cosPrevious", PageShell.Round(previous));
                else json.WriteNull("cosPrevious");
                json.WriteNumber("share", p.Share);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>A context: its row and value, where the row sits in it, each token as it reads in running text, and the
    /// feature's activation on each.</summary>
    private static void Context(Utf8JsonWriter json, Context c, TokenVocabulary vocabulary)
    {
        json.WriteStartObject();
        json.WriteNumber("row", c.Row);
        json.WriteNumber("value", PageShell.Round(c.Value));
        json.WriteNumber("at", c.Row - c.First);
        json.WriteStartArray("t");
        for (int i = 0; i < c.Tokens.Length; i++) json.WriteStringValue(vocabulary.Display(c.Tokens[i], i == 0));
        json.WriteEndArray();
        json.WriteStartArray("a");
        foreach (float a in c.Activations) json.WriteNumberValue(PageShell.Round(a));
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
