using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary><c>eval --suite S --data OTHER</c>: the pooled features' codes are computed for the other store and cached
/// under its identity; on a store holding the same rows the numbers are the suite's own.</summary>
public sealed class SuiteOtherStoreTests
{
    [Fact]
    public void A_suite_on_a_second_store_with_the_same_rows_measures_what_it_measures_on_its_own()
    {
        using var scratch = new Scratch();
        string[] world = ["--layers", "3", "--d-model", "16", "--vocab", "64", "--tokens", "12000", "--features", "24", "--seed", "5"];
        Ok(CliRunner.Run(["synth", "--out", scratch["A"], .. world]));
        // The same rows (same seed), another split: another store identity.
        Ok(CliRunner.Run(["synth", "--out", scratch["B"], "--heldout", "0.3", .. world]));
        Ok(CliRunner.Run("suite", "--data", scratch["A"], "--out", scratch["S"], "--layers", "0-2", "--latents", "32", "--k", "4", "--batch", "256",
            "--tokens", "12000"));

        var own = CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["A"], "--split", "all", "--json");
        var other = CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["B"], "--json");
        Ok(own);
        Ok(other);
        Assert.Equal("all", other.Json["split"]!.GetValue<string>());
        Assert.False(other.Json["in_sample"]!.GetValue<bool>());
        Assert.True(own.Json["in_sample"]!.GetValue<bool>());
        var a = own.Json["layers"]!.AsArray();
        var b = other.Json["layers"]!.AsArray();
        Assert.Equal(3, b.Count);
        for (int i = 0; i < a.Count; i++)
            foreach (string key in new[] { "nmse", "fvu", "l0" })
                Assert.Equal(a[i]![key]!.GetValue<double>(), b[i]![key]!.GetValue<double>(), 12);
        var cached = Directory.GetDirectories(Path.Combine(scratch["S"], "codes"), "store-*");
        Assert.Single(cached);
        Assert.NotEmpty(Directory.GetFiles(cached[0], "*.safetensors"));

        // The second time from the cache: the same numbers.
        var again = CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["B"], "--json");
        Ok(again);
        Assert.Equal(other.Json["layers"]!.ToJsonString(), again.Json["layers"]!.ToJsonString());
    }

    [Fact]
    public void A_suite_on_a_store_of_another_width_is_refused_naming_the_store()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["A"], "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "6000", "--features", "8"));
        Ok(CliRunner.Run("synth", "--out", scratch["B"], "--layer-count", "2", "--d-model", "8", "--vocab", "64", "--tokens", "6000", "--features", "8"));
        Ok(CliRunner.Run("suite", "--data", scratch["A"], "--out", scratch["S"], "--layers", "0-1", "--latents", "16", "--k", "2", "--batch", "256",
            "--tokens", "4000"));
        var eval = CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["B"], "--json");
        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("d_model", eval.Stderr);
        Assert.Contains(scratch["B"], eval.Stderr);
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
