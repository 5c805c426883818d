using Lexicon.Tests.Support;

namespace Lexicon.Tests.Suite;

/// <summary>A suite interrupted after layer 1 resumes from its saved layers and ends exactly where an uninterrupted run
/// ends: the same weights, tables, pooled decoders, codes and births and deaths.</summary>
public sealed class SuiteResumeTests
{
    private static readonly string[] Flags = ["--layers", "0-2", "--latents", "32", "--k", "3", "--batch", "256", "--train-tokens", "6000",
        "--enrich-layer", "1", "--enrich-latents", "16", "--seed", "5"];

    [Fact]
    public void Interrupted_suite_resumes_to_the_uninterrupted_result()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "3", "--d-model", "16", "--vocab", "48", "--tokens", "6000", "--features", "24"));
        Ok(CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["A"], .. Flags]));

        var first = CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["B"], "--stop-after-layer", "1", "--json", .. Flags]);
        Ok(first);
        Assert.False(first.Json["complete"]!.GetValue<bool>());
        Assert.False(Directory.Exists(Path.Combine(scratch["B"], "layer_02")));
        var second = CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["B"], "--json", .. Flags]);
        Ok(second);
        Assert.True(second.Json["complete"]!.GetValue<bool>());

        string[] files =
        [
            "suite.json", "codes/L00.safetensors", "codes/L01.safetensors", "codes/L02.safetensors", "codes/enriched.safetensors",
            "layer_00/sae_weights.safetensors", "layer_01/sae_weights.safetensors", "layer_02/sae_weights.safetensors",
            "layer_01/lexicon.safetensors", "layer_02/lexicon.safetensors", "enriched/sae_weights.safetensors",
        ];
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(scratch["A"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(scratch["B"], file))),
                $"{file} differs between the uninterrupted and the resumed suite");
    }

    [Fact]
    public void A_suite_directory_started_with_other_settings_is_refused()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2000", "--features", "8"));
        string[] flags = ["--layers", "0-1", "--latents", "16", "--k", "2", "--batch", "200", "--train-tokens", "2000", "--enrich-layer", "1"];
        Ok(CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["S"], "--stop-after-layer", "0", .. flags]));
        string before = Scratch.Fingerprint(Path.Combine(scratch["S"], "layer_00"));
        var other = CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["S"], "--latents", "24", .. flags[..2], .. flags[4..]]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("suite.json", other.Stderr);
        Assert.Equal(before, Scratch.Fingerprint(Path.Combine(scratch["S"], "layer_00")));
    }

    [Theory]
    [InlineData("\"completed_layers\": [", "\"completed_layers\": [\"zero\", ", "suite manifest")]
    [InlineData("\"completed_layers\": [", "\"completed_layers\": [7, ", "completed_layers")]
    [InlineData("\"enrich_k\": 2", "\"enrich_k\": -2", "config.enrich_k must be at least 1")]
    [InlineData("\"death\": [", "\"death\": [-5, ", "inconsistent")]
    [InlineData("\"format\": \"lexicon-suite/1\"", "\"format\": \"lexicon-suite/1\", \"format\": \"x\"", "Duplicate")]
    public void A_damaged_suite_manifest_is_refused_naming_it(string from, string to, string problem)
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2000", "--features", "8"));
        string[] flags = ["--layers", "0-1", "--latents", "16", "--k", "2", "--batch", "200", "--train-tokens", "2000", "--enrich-layer", "1"];
        Ok(CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["S"], "--stop-after-layer", "0", .. flags]));
        string path = Path.Combine(scratch["S"], "suite.json");
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
        string before = Scratch.Fingerprint(scratch["S"]);
        foreach (var run in new[]
        {
            CliRunner.Run(["suite", "--data", scratch["W"], "--out", scratch["S"], .. flags]),
            CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["W"]),
            CliRunner.Run("trace", "--suite", scratch["S"]),
        })
        {
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("suite.json", run.Stderr);
            Assert.Contains(problem, run.Stderr);
        }
        Assert.Equal(before, Scratch.Fingerprint(scratch["S"]));
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
