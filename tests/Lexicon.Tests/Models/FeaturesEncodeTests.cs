using System.Text.Json.Nodes;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary>The feature site's top contexts recomputed through <c>lexicon encode</c>: the text a suite's store was
/// extracted from is encoded again, and each feature's strongest activations there are the ones features.json lists.</summary>
public sealed class FeaturesEncodeTests
{
    /// <summary>encode extracts the text anew through ONNX Runtime; its values agree with the store's to about 1e-5.</summary>
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Features_json_top_contexts_are_the_strongest_activations_encode_reports_for_each_feature()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], ExtractTests.SampleText());
        Ok(CliRunner.Run("extract", "--out", scratch["M"], "--text", scratch["text.txt"], "--layers", "1-2", "--heldout", "0"));
        Ok(CliRunner.Run("suite", "--data", scratch["M"], "--out", scratch["U"], "--layers", "1-2", "--latents", "16", "--k", "2", "--batch", "128",
            "--train-tokens", "2048"));
        Ok(CliRunner.Run("features", "--suite", scratch["U"], "--data", scratch["M"], "--out", scratch["F"]));
        var encode = CliRunner.Run("encode", "--suite", scratch["U"], "--text-file", scratch["text.txt"], "--json");
        Ok(encode);

        // Per feature id, its value on each text token (the store's row of that token: encode lists rows in store order,
        // special tokens left out); a feature fires on a row with one value at every layer it is listed at.
        var rows = StoreRows(scratch["M"]);
        var tokens = encode.Json["tokens"]!.AsArray();
        Assert.Equal(rows.Length, tokens.Count);
        var fired = new Dictionary<string, Dictionary<long, float>>();
        for (int t = 0; t < tokens.Count; t++)
            foreach (var layer in tokens[t]!["layers"]!.AsArray())
                foreach (var f in layer!["own"]!.AsArray().Concat(layer["pooled"]!.AsArray()))
                {
                    var values = fired.TryGetValue((string)f!["id"]!, out var v) ? v : fired[(string)f["id"]!] = [];
                    values.TryAdd(rows[t], (float)f["value"]!);
                }

        var features = JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["F"], "features.json")))!["features"]!.AsArray();
        Assert.NotEmpty(features);
        foreach (var feature in features)
        {
            string id = (string)feature!["id"]!;
            var top = feature["top"]!.AsArray();
            var strongest = fired[id].Values.OrderDescending().Take(top.Count).ToArray();
            Assert.Equal(Math.Min(10, fired[id].Count), top.Count);
            for (int i = 0; i < top.Count; i++)
            {
                long row = (long)top[i]!["row"]!;
                float value = (float)top[i]!["value"]!;
                Assert.True(Math.Abs(strongest[i] - value) <= Tolerance * Math.Max(1, value), $"{id}: top {i} is {value}, encode's {strongest[i]}");
                Assert.True(Math.Abs(fired[id][row] - value) <= Tolerance * Math.Max(1, value), $"{id}: row {row} is {value}, encode's {fired[id][row]}");
            }
        }
    }

    /// <summary>The store's rows that are text tokens (not [CLS]/[SEP]), in order.</summary>
    private static long[] StoreRows(string store)
    {
        using var s = Lexicon.Data.ActivationStore.Open(store);
        var special = s.Manifest.SpecialTokens.ToHashSet();
        return [.. Enumerable.Range(0, (int)s.TokenCount).Where(r => !special.Contains(s.Tokens[r])).Select(r => (long)r)];
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
