using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Suite;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary><c>lexicon encode</c> on a text: per token and layer, the features that fire, as eval computes them on a store
/// extracted from the same text.</summary>
public sealed class EncodeCliTests
{
    [Fact]
    public void Encodes_features_equal_the_codes_eval_computes_on_the_same_tokens()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], ExtractTests.SampleText());
        Ok(CliRunner.Run("extract", "--out", scratch["M"], "--text", scratch["text.txt"], "--layers", "1-2", "--heldout", "0.2"));
        Ok(CliRunner.Run("train", "--data", scratch["M"], "--layer", "2", "--latents", "32", "--k", "4", "--batch", "128", "--train-tokens", "4096",
            "--out", scratch["S"]));
        Ok(CliRunner.Run("suite", "--data", scratch["M"], "--out", scratch["U"], "--layers", "1-2", "--latents", "16", "--k", "2", "--batch", "128",
            "--train-tokens", "2048"));

        using var store = ActivationStore.Open(scratch["M"]);
        using var kernels = Backends.Create("cpu");
        var rows = store.Tokens.Select((t, i) => (t, i)).Where(r => !store.Manifest.SpecialTokens.Contains(r.t)).Select(r => r.i).ToArray();

        var sae = CliRunner.Run("encode", "--sae", scratch["S"], "--text-file", scratch["text.txt"], "--json");
        Ok(sae);
        var tokens = sae.Json["tokens"]!.AsArray();
        Assert.Equal(rows.Length, tokens.Count);
        var checkpoint = Checkpoint.Load(scratch["S"]);
        var index = new int[store.TokenCount * 4];
        var value = new float[store.TokenCount * 4];
        Evaluator.Run(kernels, checkpoint.Weights, 4, store, 2, new EvalOptions { CodeIndex = index, CodeValue = value });
        for (int t = 0; t < rows.Length; t++)
        {
            Assert.Equal(store.Tokens[rows[t]], tokens[t]!["id"]!.GetValue<int>());
            AssertFired(Expected("L02", index, value, 4, rows[t]), tokens[t]!["layers"]![0]!["own"]!.AsArray());
        }

        var suite = CliRunner.Run("encode", "--suite", scratch["U"], "--text-file", scratch["text.txt"], "--json");
        Ok(suite);
        var manifest = SuiteFiles.RequireManifest(scratch["U"]);
        var codes = manifest.Sources.ToDictionary(s => s.Name, s => SuiteFiles.ReadCodes(scratch["U"], s));
        var suiteTokens = suite.Json["tokens"]!.AsArray();
        for (int t = 0; t < rows.Length; t++)
        {
            var layers = suiteTokens[t]!["layers"]!.AsArray();
            Assert.Equal([1, 2], layers.Select(l => l!["layer"]!.GetValue<int>()));
            var l2 = codes["L02"];
            AssertFired(Expected("L02", l2.CodeIndex, l2.CodeValue, l2.K, rows[t]), layers[1]!["own"]!.AsArray());
            // Layer 2 pools the enriched SAE and layer 1's latents, with their codes at birth.
            var pooled = Expected("enriched", codes["enriched"].CodeIndex, codes["enriched"].CodeValue, codes["enriched"].K, rows[t])
                .Concat(Expected("L01", codes["L01"].CodeIndex, codes["L01"].CodeValue, codes["L01"].K, rows[t], codes["L01"].Death, 2));
            AssertFired(pooled, layers[1]!["pooled"]!.AsArray());
        }
    }

    [Fact]
    public void Encode_of_a_synthetic_sae_is_refused_naming_the_store_model()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "4000", "--features", "8"));
        Ok(CliRunner.Run("train", "--data", scratch["W"], "--layer", "1", "--latents", "16", "--k", "2", "--train-tokens", "2048", "--out", scratch["S"]));
        var encode = CliRunner.Run("encode", "--sae", scratch["S"], "--text", "The river crossed the valley.");
        Assert.Equal(2, encode.ExitCode);
        Assert.Contains("synthetic", encode.Stderr);
    }

    private static IEnumerable<(string, float)> Expected(string source, int[] index, float[] value, int k, int row, int[]? death = null, int layer = 0)
    {
        for (int j = 0; j < k; j++)
        {
            int m = index[row * k + j];
            if (m >= 0 && value[row * k + j] > 0 && (death is null || death[m] < 0 || death[m] >= layer))
                yield return ($"{source}:{m}", value[row * k + j]);
        }
    }

    private static void AssertFired(IEnumerable<(string Id, float Value)> expected, JsonArray actual)
    {
        var want = expected.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var got = actual.Select(a => (Id: a!["id"]!.GetValue<string>(), Value: a["value"]!.GetValue<float>())).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(want.Select(w => w.Id), got.Select(g => g.Id));
        for (int i = 0; i < want.Count; i++) Assert.Equal(want[i].Value, got[i].Value, 1e-5f);
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
