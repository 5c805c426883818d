using System.Text.Json.Nodes;
using Lexicon.Data.Formats;
using Lexicon.Suite;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Suite;

/// <summary>The enriched-token SAE trains against the pool of its layer and joins the pool there: its checkpoint holds
/// the earlier layer's pooled rows, its layer's pool lists it, none of its features dies at that layer; a suite.json
/// written before the rule reads as the old one (the enriched codes pooled from the next layer).</summary>
public sealed class EnrichedPoolTests
{
    [Fact]
    public void The_enriched_sae_trains_on_the_pool_joins_it_at_its_layer_and_an_old_manifest_reads_as_before()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "3", "--d-model", "16", "--vocab", "32", "--tokens", "20000", "--features", "12"));
        Ok(CliRunner.Run("suite", "--data", scratch["W"], "--out", scratch["S"], "--layers", "0-2", "--latents", "32", "--k", "2", "--batch", "256",
            "--enrich-layer", "1", "--enrich-latents", "16"));

        var manifest = SuiteFiles.RequireManifest(scratch["S"]);
        Assert.True(manifest.Config.EnrichedOnPool);
        var enriched = manifest.Sources.Single(s => s.Name == SuiteConfig.EnrichedSource);
        Assert.DoesNotContain(1, enriched.Death);
        using (var file = SafeTensorsFile.Open(Path.Combine(SuiteFiles.EnrichedDirectory(scratch["S"]), "lexicon.safetensors")))
            Assert.Contains("pool.L00", file.Tensors.Keys);
        var pool = JsonNode.Parse(File.ReadAllText(Path.Combine(SuiteFiles.LayerDirectory(scratch["S"], 1), "lexicon.json")))!["pool"]!;
        Assert.Contains(SuiteConfig.EnrichedSource, pool["sources"]!.AsArray().Select(s => (string)s!["name"]!));

        string path = Path.Combine(scratch["S"], SuiteFiles.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["config"]!.AsObject().Remove("enriched_on_pool");
        File.WriteAllText(path, json.ToJsonString());
        var old = SuiteFiles.RequireManifest(scratch["S"]);
        Assert.False(old.Config.EnrichedOnPool);
        var source = SuiteFiles.ReadCodes(scratch["S"], old.Sources.Single(s => s.Name == SuiteConfig.EnrichedSource));
        Assert.False(SuiteTrainer.InPool(source, old.Config, 1));
        Assert.True(SuiteTrainer.InPool(source, old.Config, 2));
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
