using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary><c>lexicon ngrams</c> scores on the store's held-out sequences, and --tokens limits it to the first rows.</summary>
public sealed class NgramsCliTests
{
    [Fact]
    public void Ngrams_score_on_held_out_rows_within_the_first_tokens_asked_for()
    {
        using var scratch = new Scratch();
        Assert.Equal(0, CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "20000",
            "--features", "8").ExitCode);
        var all = CliRunner.Run("ngrams", "--data", scratch["W"], "--json");
        var some = CliRunner.Run("ngrams", "--data", scratch["W"], "--eval-tokens", "6000", "--json");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.True(some.ExitCode == 0, some.ToString());
        Assert.Equal("heldout", all.Json["split"]!.GetValue<string>());
        long Tokens(CliResult r, string key) => r.Json["layers"]![0]![key]!.GetValue<long>();
        Assert.InRange(Tokens(all, "held_out_tokens"), 1700, 2300);
        Assert.True(Tokens(some, "held_out_tokens") + Tokens(some, "train_tokens") <= 6000);
        Assert.True(Tokens(some, "held_out_tokens") < Tokens(all, "held_out_tokens"));

        var tooFew = CliRunner.Run("ngrams", "--data", scratch["W"], "--eval-tokens", "1");
        Assert.Equal(2, tooFew.ExitCode);
        Assert.Contains("--tokens", tooFew.Stderr);
    }
}
