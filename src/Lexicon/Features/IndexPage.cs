namespace Lexicon.Features;

/// <summary>
/// index.html: every feature that fired as one row of a table site.js sorts and filters (id, birth, death, density, max
/// activation, top tokens), a search by token (a feature's top tokens and nearest tokens), a histogram of log10 density
/// over the features, and the ids of those that never fired.
/// </summary>
public static class IndexPage
{
    public const string FileName = "index.html";

    public static void Write(string path, SiteInput input, CollectedFeatures collected)
    {
        var vocabulary = input.Vocabulary;
        string body = $"<h1>Features: {PageShell.Escape(input.Title)}</h1>\n<p class=\"about\">Store <code>{PageShell.Escape(input.StorePath)}</code> " +
            $"(model <code>{PageShell.Escape(input.Model ?? "?")}</code>, {collected.Rows:N0} rows read, tokens shown as {PageShell.Escape(vocabulary.Kind)}). " +
            $"{collected.Live.Count:N0} features fired, {collected.Dead.Count:N0} never did. All data: <a href=\"{FeaturesJson.FileName}\">{FeaturesJson.FileName}</a>.</p>";
        PageShell.Write(path, $"Features: {input.Title}", "", "index", body, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("rows", collected.Rows);
            json.WriteStartArray("features");
            foreach (var f in collected.Live)
            {
                json.WriteStartObject();
                json.WriteString("id", f.Id);
                json.WriteString("p", f.Page);
                json.WriteNumber("b", f.BirthLayer);
                if (f.DeathLayer is { } death) json.WriteNumber("d", death);
                else json.WriteNull("d");
                json.WriteNumber("n", f.Summary.Firings);
                json.WriteNumber("den", f.Density(collected.Rows));
                json.WriteNumber("max", PageShell.Round(f.Summary.Max));
                json.WriteStartArray("tt");
                foreach (int id in f.TopTokens) json.WriteStringValue(vocabulary.Alone(id));
                json.WriteEndArray();
                json.WriteStartArray("nt");
                foreach (var near in f.Nearest.Take(5)) json.WriteStringValue(vocabulary.Alone(near.Token));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("dead");
            foreach (string id in collected.Dead) json.WriteStringValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
