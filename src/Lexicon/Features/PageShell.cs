using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lexicon.Features;

/// <summary>
/// What every page of the site shares: the head (the one stylesheet), the page's data inline as JSON (a file:// page
/// may not fetch files beside it, and one file per page keeps a page one request), the one script that renders it, and
/// the label a feature is shown by everywhere: its id with its top tokens. Text from the store goes into HTML escaped
/// and into the JSON with every HTML-significant character escaped, so no token can close the script or open a tag.
/// </summary>
public static class PageShell
{
    /// <summary>A feature's id with the tokens it fires on most, e.g. "L02:17 (river · stream · bank)".</summary>
    public static string Label(SiteFeature feature, TokenVocabulary vocabulary, int tokens = 3) =>
        feature.TopTokens.Length == 0 ? feature.Id : $"{feature.Id} ({TopTokens(feature, vocabulary, tokens)})";

    public static string TopTokens(SiteFeature feature, TokenVocabulary vocabulary, int tokens = 3) =>
        string.Join(Separator, feature.TopTokens.Take(tokens).Select(vocabulary.Alone));

    /// <summary>Between tokens shown side by side: a token may itself be a comma.</summary>
    public const string Separator = " · ";

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <param name="assets">The path from the page to the site's root ("" or "../").</param>
    /// <param name="body">Static HTML (escaped by the caller) shown before the script renders the rest.</param>
    public static void Write(string path, string title, string assets, string kind, string body, Action<Utf8JsonWriter> data)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Escape(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(assets).Append("site.css\"></head>\n")
            .Append("<body data-page=\"").Append(kind).Append("\">\n").Append(body).Append('\n')
            .Append("<div id=\"app\"><noscript>The rest of this page is drawn by site.js.</noscript></div>\n")
            .Append("<script type=\"application/json\" id=\"data\">").Append(Json(data)).Append("</script>\n")
            .Append("<script src=\"").Append(assets).Append("site.js\"></script>\n</body></html>\n");
        File.WriteAllText(path, html.ToString());
    }

    private static string Json(Action<Utf8JsonWriter> data)
    {
        using var stream = new MemoryStream();
        // The default encoder escapes <, >, &, ' and non-ASCII as \uXXXX: the JSON cannot end its <script> element.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default })) data(json);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A float rounded for display (the page's data; features.json keeps values exact).</summary>
    public static double Round(double value) => Math.Round(value, 3);
}
