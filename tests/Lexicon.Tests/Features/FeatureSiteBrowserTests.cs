using System.Text.Json.Nodes;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Features;

/// <summary>
/// The suite's feature site opened in a real headless Chromium from disk (file://): the index's table lists features
/// with the top tokens features.json gives them, a pooled feature's page shows shaded contexts and its plots, and no
/// page logs a JavaScript error. Skipped only where no chromium is installed (CI installs it). With
/// LEXICON_SCREENSHOTS=DIR the screenshots are kept there.
/// </summary>
[Collection(SiteWorld.Collection)]
public sealed class FeatureSiteBrowserTests(SiteWorld world)
{
    [SkippableFact]
    public void The_index_lists_features_with_their_top_tokens_and_a_pooled_features_page_shows_shaded_contexts_with_no_javascript_error()
    {
        Skip.If(HeadlessChromium.Binary is null, "chromium is not installed (apt-get install -y chromium)");
        var site = JsonNode.Parse(File.ReadAllText(Path.Combine(world.SuiteSite, "features.json")))!;
        var features = site["features"]!.AsArray();
        using var browser = new HeadlessChromium();

        browser.Navigate(new Uri(Path.Combine(world.SuiteSite, "index.html")).AbsoluteUri);
        var rows = browser.Evaluate("Array.from(document.querySelectorAll('#features tbody tr')).map(r => [r.cells[0].textContent, r.cells[1].textContent])")!.AsArray();
        Assert.Equal(features.Count, rows.Count);
        foreach (var row in rows)
        {
            var feature = features.Single(f => (string)f!["id"]! == (string)row![0]!)!;
            string tokens = string.Join(" · ", feature["top_tokens"]!.AsArray().Select(t => (string)t!["text"]!));
            Assert.False(string.IsNullOrEmpty(tokens));
            Assert.Equal(tokens, (string)row![1]!);
        }
        Keep(browser, "index.png");

        // A feature born at layer 0 and pooled through layer 2: its page has contexts, histogram and trajectory.
        var pooled = features.First(f => (int)f!["birth_layer"]! == 0 && f["trajectory"] is JsonArray { Count: >= 2 })!;
        browser.Navigate(new Uri(Path.Combine(world.SuiteSite, (string)pooled["page"]!)).AbsoluteUri);
        int contexts = (int)browser.Evaluate("document.querySelectorAll('.ctx').length")!;
        int shaded = (int)browser.Evaluate("document.querySelectorAll('.ctx .text span[style*=\"background\"]').length")!;
        int charts = (int)browser.Evaluate("document.querySelectorAll('svg.chart').length")!;
        string heading = (string)browser.Evaluate("document.querySelector('h1').textContent")!;
        Assert.True(contexts >= pooled["top"]!.AsArray().Count, $"{contexts} contexts");
        Assert.True(shaded >= contexts, $"{shaded} shaded tokens in {contexts} contexts");
        Assert.Equal(3, charts);
        Assert.Contains((string)pooled["id"]!, heading);
        Assert.Contains((string)pooled["top_tokens"]![0]!["text"]!, heading);
        Keep(browser, "feature.png");

        // Pages of every kind (own latents of each layer, the enriched SAE's, pooled or not), a few of each.
        foreach (var feature in features.GroupBy(f => (string)f!["source"]!).SelectMany(g => g.Take(4)))
            browser.Navigate(new Uri(Path.Combine(world.SuiteSite, (string)feature!["page"]!)).AbsoluteUri);
        Assert.Empty(browser.Errors);
    }

    private void Keep(HeadlessChromium browser, string name)
    {
        string path = world.Scratch[name];
        browser.Screenshot(path);
        Assert.True(new FileInfo(path).Length > 1000, name);
        if (Environment.GetEnvironmentVariable("LEXICON_SCREENSHOTS") is { Length: > 0 } keep)
            File.Copy(path, Path.Combine(Directory.CreateDirectory(keep).FullName, name), overwrite: true);
    }
}
