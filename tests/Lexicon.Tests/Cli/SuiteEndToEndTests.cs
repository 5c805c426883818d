using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>The suite's acceptance run on the default 4-layer planted world: features traced through the layers they
/// live in, fading ones pruned near their planted death, and each layer, on the held-out rows, at least as good as an
/// independent SAE with fewer own latents carrying signal (latents merely firing are counted over 20k held-out tokens,
/// too few to order two models that differ by one).</summary>
public sealed class SuiteEndToEndTests
{
    [Fact]
    public void Suite_traces_planted_features_and_beats_independent_layers()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"]));
        Ok(CliRunner.Run("suite", "--data", scratch["W"], "--out", scratch["S"], "--layers", "0-3"));

        var trace = CliRunner.Run("trace", "--suite", scratch["S"], "--json");
        Ok(trace);
        Assert.True(trace.Json["trace_cosine"]!.GetValue<double>() >= 0.85, trace.Stdout);
        Assert.True(trace.Json["death_layer_accuracy"]!.GetValue<double>() >= 0.8, trace.Stdout);
        Assert.True(File.Exists(Path.Combine(scratch["S"], "trace.json")) && File.Exists(Path.Combine(scratch["S"], "trace.png")));

        var eval = CliRunner.Run("eval", "--suite", scratch["S"], "--data", scratch["W"], "--compare-independent", "--json");
        Ok(eval);
        foreach (var layer in eval.Json["layers"]!.AsArray().Where(l => l!["layer"]!.GetValue<int>() >= 1))
        {
            var independent = layer!["independent"]!;
            Assert.True(layer["nmse"]!.GetValue<double>() <= independent["nmse"]!.GetValue<double>(), layer.ToJsonString());
            Assert.True(layer["signal_latents"]!.GetValue<int>() < independent["signal_latents"]!.GetValue<int>(), layer.ToJsonString());
        }
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
