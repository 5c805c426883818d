using Lexicon.Suite;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Suite;

/// <summary>The matching baseline's chains: pairs above the threshold join one chain, a latent without a partner before
/// starts one, a chain without a partner after dies there; and <c>trace --baseline matching</c> on a tiny planted world
/// writes the suite's trace fields for both, chain precision included.</summary>
public sealed class MatchingBaselineTests
{
    [Fact]
    public void Chains_follow_pairs_above_the_threshold_and_die_where_none_is_left()
    {
        // d = 3. Layer 0: e0, e1. Layer 1: e1, e0 (swapped), e2 (new). Layer 2: e0 only, and a dead latent (never fired).
        float[][] decoders =
        [
            [1, 0, 0, 0, 1, 0],
            [0, 1, 0.1f, 1, 0.1f, 0, 0, 0, 1],
            [0.9f, 0, 0.2f, 0, 1, 0],
        ];
        long[][] firings = [[5, 5], [5, 5, 5], [5, 0]];
        double[][] shares = [[0.1, 0.1], [0.1, 0.1, 0.1], [0.1, 0]];
        var result = MatchingBaseline.Chain([0, 1, 2], decoders, firings, shares, 3, threshold: 0.5, data: null);

        var chains = result.Trace.Features.ToDictionary(f => f.Id);
        Assert.Equal(["L00:0", "L00:1", "L01:2"], chains.Keys.Order());
        Assert.Equal([0, 1, 0], chains["L00:0"].Points.Select(p => p.Latent!.Value));
        Assert.Null(chains["L00:0"].DeathLayer);
        Assert.Equal([1, 0], chains["L00:1"].Points.Select(p => p.Latent!.Value));
        Assert.Equal(2, chains["L00:1"].DeathLayer);
        Assert.Equal(2, chains["L01:2"].DeathLayer);
        Assert.Equal(2, result.Links[0].Matched);
        Assert.Equal(1, result.Links[1].Matched);
    }

    [Fact]
    public void A_pair_below_the_threshold_is_not_a_chain()
    {
        float[][] decoders = [[1, 0], [0.6f, 0.8f]];
        var result = MatchingBaseline.Chain([0, 1], decoders, [[1], [1]], [[0], [0]], 2, threshold: 0.7, data: null);
        Assert.Equal(2, result.Trace.Features.Count);
        Assert.Equal(1, result.Trace.Features.Single(f => f.BirthLayer == 0).DeathLayer);
    }

    [Fact]
    public void Trace_baseline_matching_writes_both_traces_metrics()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "3", "--d-model", "16", "--vocab", "32", "--tokens", "20000", "--features", "12"));
        Ok(CliRunner.Run("suite", "--data", scratch["W"], "--out", scratch["S"], "--layers", "0-2", "--latents", "32", "--k", "1", "--batch", "256",
            "--enrich-latents", "16"));
        var trace = CliRunner.Run("trace", "--suite", scratch["S"], "--baseline", "matching", "--json");
        Ok(trace);
        var baseline = trace.Json["baseline"]!;
        foreach (var json in new[] { trace.Json, baseline })
            foreach (var field in new[] { "trace_cosine", "death_layer_accuracy", "chain_precision" })
                Assert.InRange(json[field]!.GetValue<double>(), 0, 1);
        Assert.Equal(12, baseline["planted_features"]!.GetValue<int>());

        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["S"], "trace_matching.json")))!;
        Assert.Equal("matching", file["method"]!.GetValue<string>());
        Assert.Equal([0, 1, 2], file["layers"]!.AsArray().Select(l => l!.GetValue<int>()));
        Assert.Equal(2, file["links"]!.AsArray().Count);
        var chain = file["features"]!.AsArray()[0]!;
        foreach (var field in new[] { "id", "source", "latent", "birth_layer", "death_layer", "firings_at_birth", "trajectory" })
            Assert.True(chain.AsObject().ContainsKey(field), field);
        Assert.True(chain["trajectory"]!.AsArray()[0]!.AsObject().ContainsKey("latent"));
    }

    [Theory]
    [InlineData("--baseline", "nearest")]
    [InlineData("--match-threshold", "2")]
    public void A_bad_baseline_flag_is_exit_2_naming_it(string flag, string value)
    {
        using var scratch = new Scratch();
        var result = CliRunner.Run("trace", "--suite", scratch["S"], flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(flag, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
