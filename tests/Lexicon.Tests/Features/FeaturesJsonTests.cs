using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Suite;

namespace Lexicon.Tests.Features;

/// <summary>features.json's top contexts against what <c>encode</c>'s code path (<see cref="FeatureReadout"/>) reads
/// off the same store: per feature, the same rows with the same values, strongest first (ties: lower row first).</summary>
[Collection(SiteWorld.Collection)]
public sealed class FeaturesJsonTests(SiteWorld world)
{
    [Fact]
    public void A_suite_sites_top_contexts_are_the_readouts_strongest_rows_in_order_and_every_latent_is_live_or_dead()
    {
        using var store = ActivationStore.Open(world.Store);
        using var kernels = Backends.Create("cpu");
        var fired = Fired(FeatureReadout.OfSuite(kernels, world.Suite, store));
        var site = Site(world.SuiteSite);
        var manifest = SuiteFiles.RequireManifest(world.Suite);
        int latents = manifest.Sources.Sum(s => s.Latents);
        Assert.Equal(latents, site["features"]!.AsArray().Count + site["dead"]!.AsArray().Count);
        Assert.Contains(site["features"]!.AsArray(), f => (string)f!["source"]! == SuiteConfig.EnrichedSource);
        AssertTopsMatch(site, fired);
    }

    [Fact]
    public void An_sae_sites_top_contexts_are_the_readouts_strongest_rows_in_order()
    {
        using var store = ActivationStore.Open(world.Store);
        using var kernels = Backends.Create("cpu");
        var checkpoint = Checkpoint.Load(Path.Combine(world.Suite, "layer_00"));
        var fired = Fired(FeatureReadout.OfSae(kernels, checkpoint, store, 0));
        var site = Site(world.SaeSite);
        Assert.Equal(checkpoint.Weights.Latents, site["features"]!.AsArray().Count + site["dead"]!.AsArray().Count);
        AssertTopsMatch(site, fired);
    }

    private static void AssertTopsMatch(JsonNode site, Dictionary<string, Dictionary<long, float>> fired)
    {
        var features = site["features"]!.AsArray();
        Assert.NotEmpty(features);
        Assert.Equal(fired.Keys.Order(), features.Select(f => (string)f!["id"]!).Order());
        foreach (var feature in features)
        {
            string id = (string)feature!["id"]!;
            var expected = fired[id].OrderByDescending(e => e.Value).ThenBy(e => e.Key).Take(10).Select(e => (e.Key, e.Value)).ToList();
            var actual = feature["top"]!.AsArray().Select(t => ((long)t!["row"]!, (float)t["value"]!)).ToList();
            Assert.Equal(expected, actual);
            Assert.Equal(fired[id].Count, (long)feature["firings"]!);
        }
    }

    /// <summary>Per feature id, every row it fired on and its value there (a pooled feature's value is the same at every layer).</summary>
    private static Dictionary<string, Dictionary<long, float>> Fired(List<LayerReadout>[] readout)
    {
        var fired = new Dictionary<string, Dictionary<long, float>>();
        for (long row = 0; row < readout.Length; row++)
            foreach (var layer in readout[row])
                foreach (var f in layer.Own.Concat(layer.Pooled))
                {
                    if (!fired.TryGetValue(f.Id, out var rows)) fired[f.Id] = rows = [];
                    if (rows.TryGetValue(row, out float seen)) Assert.Equal(seen, f.Value);
                    rows[row] = f.Value;
                }
        return fired;
    }

    private static JsonNode Site(string root) => JsonNode.Parse(File.ReadAllText(Path.Combine(root, "features.json")))!;
}
