using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>The tokenized issue's acceptance runs on the planted world (2 layers; bigrams planted at layer 1 only).</summary>
public sealed class TokenizedEndToEndTests : IClassFixture<TokenizedEndToEndTests.World>
{
    private readonly World _world;

    public TokenizedEndToEndTests(World world) => _world = world;

    public sealed class World : IDisposable
    {
        public World()
        {
            var synth = CliRunner.Run("synth", "--out", Scratch["W"], "--layer-count", "2", "--d-model", "64", "--vocab", "512", "--tokens", "200000", "--features", "256");
            Assert.True(synth.ExitCode == 0, synth.ToString());
        }

        public Scratch Scratch { get; } = new();
        public string Store => Scratch["W"];

        public void Dispose() => Scratch.Dispose();
    }

    [Fact]
    public void Learned_unigram_and_bigram_tables_match_the_planted_ones()
    {
        string sae = _world.Scratch["tables"];
        Ok(CliRunner.Run("train", "--data", _world.Store, "--layer", "1", "--latents", "512", "--k", "8", "--tables", "unigram;bigram",
            "--subtract-tables", "--out", sae));
        var eval = CliRunner.Run("eval", "--sae", sae, "--data", _world.Store, "--json");
        Ok(eval);
        var cosine = eval.Json["table_cosine"]!.AsObject();
        Assert.True(cosine["unigram"]!.GetValue<double>() >= 0.95, eval.Stdout);
        Assert.True(cosine["bigram"]!.GetValue<double>() >= 0.95, eval.Stdout);
        var share = eval.Json["variance_share"]!.AsObject();
        Assert.InRange(share["tables"]!.GetValue<double>(), 0.05, 1);
        Assert.InRange(share["own"]!.GetValue<double>(), 0.05, 1);
        Assert.InRange(share["tables"]!.GetValue<double>() + share["own"]!.GetValue<double>(), 0.8, 1.05);
    }

    [Fact]
    public void Tokenized_sae_beats_the_plain_one_on_held_out_rows_and_gets_there_in_half_the_tokens()
    {
        var compare = CliRunner.Run("train", "--data", _world.Store, "--layer", "1", "--latents", "512", "--k", "8", "--compare",
            "--out", _world.Scratch["compare"], "--json");
        Ok(compare);
        var json = compare.Json;
        Assert.Equal("heldout", json["split"]!.GetValue<string>());
        Assert.Equal("fvu", json["metric"]!.GetValue<string>());
        double plain = json["plain_nmse"]!.GetValue<double>(), tokenized = json["tokenized_nmse"]!.GetValue<double>();
        Assert.True(tokenized < plain, compare.Stdout);
        Assert.True(json["tokenized_fvu"]!.GetValue<double>() < json["plain_fvu"]!.GetValue<double>(), compare.Stdout);
        Assert.True(json["tokens_to_plain_final_ratio"]!.GetValue<double>() <= 0.5, compare.Stdout);
        Assert.True(File.Exists(Path.Combine(_world.Scratch["compare"], "plain", "sae_weights.safetensors")));
        Assert.True(File.Exists(Path.Combine(_world.Scratch["compare"], "tokenized", "lexicon.safetensors")));
    }

    [Fact]
    public void Ngram_shares_show_the_planted_bigrams_at_layer_1_only()
    {
        var ngrams = CliRunner.Run("ngrams", "--data", _world.Store, "--json");
        Ok(ngrams);
        var layers = ngrams.Json["layers"]!.AsArray();
        double Share(int layer, string order) => layers[layer]!["" + order]!.GetValue<double>();
        Assert.True(Share(1, "bigram") > Share(1, "unigram"), ngrams.Stdout);
        // No bigram is planted at layer 0: a bigram key explains nothing the token does not.
        Assert.True(Share(0, "bigram") - Share(0, "unigram") < 0.5 * (Share(1, "bigram") - Share(1, "unigram")), ngrams.Stdout);
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
